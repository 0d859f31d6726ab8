import Foundation
import TestSupport

/// Debian's Kamailio (installed by scripts/setup) in front of the given nodes, on a free
/// loopback port, with the configuration `throughline kamailio-config` writes (the binary
/// under test makes it: what an admin would run). Kamailio's own log goes to `kamailio.log`
/// in its folder. A watchdog shell stops it once the test process has gone, however it ended;
/// `stop()` ends it by PID.
final class KamailioProxy: @unchecked Sendable {
    let port: UInt16
    let folder: URL
    private let process = Process()
    private var logURL: URL { folder.appendingPathComponent("kamailio.log") }

    init(nodes: [UInt16], probeInterval: Int = 2) throws {
        folder = try Repository.scratchFolder("kamailio")
        port = try FreePorts.udpBlock(count: 1)
        let generate = Process()
        generate.executableURL = try Repository.binary
        generate.arguments = ["kamailio-config", "--listen", "127.0.0.1:\(port)", "--out", folder.path, "--probe-interval", String(probeInterval)]
            + nodes.flatMap { ["--node", "127.0.0.1:\($0)"] }
        generate.standardOutput = FileHandle.nullDevice
        try generate.run()
        generate.waitUntilExit()
        guard generate.terminationStatus == 0 else { throw HarnessError("throughline kamailio-config exited \(generate.terminationStatus)") }

        FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let log = try FileHandle(forWritingTo: logURL)
        // The test's thread blocks most signals, and a spawned program inherits that mask;
        // Kamailio never unblocks SIGTERM, so it would ignore `stop()`. Python resets the mask
        // (and the SIGPIPE it ignores) and becomes Kamailio, which Foundation has already made
        // the leader of its own process group (so its children are one group to kill).
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", """
            import os, signal, sys
            signal.pthread_sigmask(signal.SIG_SETMASK, set())
            for s in (signal.SIGPIPE, signal.SIGXFSZ): signal.signal(s, signal.SIG_DFL)
            os.execv(sys.argv[1], sys.argv[1:])
            """,
            "/usr/sbin/kamailio", "-f", folder.appendingPathComponent("kamailio.cfg").path, "-Y", folder.path,
            "-P", folder.appendingPathComponent("kamailio.pid").path, "-DD", "-E", "-m", "64", "-M", "8"]
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Once this test process has gone: SIGTERM, and after 5 s SIGKILL to its group.
        let pid = process.processIdentifier
        Watchdog.afterThisProcess(run: "kill \(pid) 2>/dev/null; sleep 5; kill -9 -\(pid) 2>/dev/null")
        let deadline = Date().addingTimeInterval(10)
        while FreePorts.isFree(Int(port)) && process.isRunning && Date() < deadline { usleep(20_000) }
        guard !FreePorts.isFree(Int(port)) else {
            stop()
            throw HarnessError("Kamailio did not bind 127.0.0.1:\(port); its log:\n\(self.log)")
        }
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: folder)
    }

    var log: String { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "(no Kamailio log)" }

    /// What the dispatcher thinks of each node (`kamcmd dispatcher.list`): its port and flags
    /// (`AP`: active and probed; `IP`: inactive, probed until it answers).
    func nodes() throws -> [UInt16: String] {
        let kamcmd = Process()
        kamcmd.executableURL = URL(fileURLWithPath: "/usr/sbin/kamcmd")
        kamcmd.arguments = ["-s", "unix:" + folder.appendingPathComponent("kamailio.ctl").path, "dispatcher.list"]
        let out = Pipe()
        kamcmd.standardOutput = out
        kamcmd.standardError = FileHandle.nullDevice
        try kamcmd.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        kamcmd.waitUntilExit()
        var result: [UInt16: String] = [:]
        var port: UInt16?
        for line in text.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            if line.hasPrefix("URI:"), let last = line.split(separator: ":").last { port = UInt16(last) }
            if line.hasPrefix("FLAGS:"), let port { result[port] = String(line.dropFirst("FLAGS:".count)).trimmingCharacters(in: .whitespaces) }
        }
        return result
    }

    /// Ends Kamailio: SIGTERM to its main process, which stops its children (about 1.5 s);
    /// after 5 s, SIGKILL to the whole session. Waits (bounded) for the main process to go.
    func stop() {
        guard process.isRunning else { return }
        let pid = process.processIdentifier
        kill(pid, SIGTERM)
        var deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        guard process.isRunning else { return }
        kill(-pid, SIGKILL)
        deadline = Date().addingTimeInterval(2)
        while process.isRunning && Date() < deadline { usleep(20_000) }
    }
}
