import Foundation

/// The real `throughline run`, started on free loopback ports for one test, with its log
/// lines (standard error) collected as they are written.
///
/// The test's thread calls every method; the pipe's reader runs on a Foundation queue and
/// only appends to the line buffer under the lock.
final class ControllerProcess: @unchecked Sendable {
    let process = Process()
    let dataFolder: URL
    let planFolder: URL
    private let ownsFolder: Bool
    private let lock = NSLock()
    private var partial = Data()
    private var collected: [String] = []
    private let keeps: @Sendable (String) -> Bool
    /// The UDP ports its calls' RTP and RTCP use (`--rtp-ports`).
    let rtpPorts: ClosedRange<Int>

    /// Writes `plan` as the only dialplan file, starts the controller with SIP and HTTP on free
    /// loopback ports, and waits for its `sip.listening` and `http.listening` lines.
    /// `rtpPorts`: how many RTP/RTCP ports the controller may use (two per call).
    /// `reusing` another controller's scratch folder (plan and data) starts a second
    /// controller on the same store, as after a crash; that folder stays its first owner's.
    /// `keeping` says which log lines the harness keeps (all by default; a soak of 100,000
    /// calls keeps only what it reads, or the test process holds every line).
    init(name: String, plan: String = TestPlan.basic, extraArguments: [String] = [], waitForListening: Bool = true, rtpPorts: Int = 64,
         reusing: URL? = nil, keeping: @escaping @Sendable (String) -> Bool = { _ in true }) throws {
        keeps = keeping
        dataFolder = try reusing ?? Repository.scratchFolder(name)
        ownsFolder = reusing == nil
        planFolder = dataFolder.appendingPathComponent("dialplans")
        try FileManager.default.createDirectory(at: planFolder, withIntermediateDirectories: true)
        try plan.write(to: planFolder.appendingPathComponent("main.dialplan"), atomically: true, encoding: .utf8)
        // A benchmark's thousands of ports start low enough to end below the kernel's
        // ephemeral range (32768 up), where SIPp's and the receivers' sockets are.
        let rtpBase = try FreePorts.udpBlock(count: rtpPorts, in: rtpPorts > 3000 ? 10000...max(10000, 32000 - rtpPorts) : 20000...29000)
        self.rtpPorts = Int(rtpBase)...(Int(rtpBase) + rtpPorts - 1)
        process.executableURL = try Repository.binary
        process.currentDirectoryURL = Repository.root
        process.arguments = [
            "run", "--sip", "127.0.0.1:0", "--http", "127.0.0.1:0", "--data", dataFolder.appendingPathComponent("var").path,
            "--dialplans", planFolder.path, "--rtp-ports", "\(rtpBase)-\(Int(rtpBase) + rtpPorts - 1)",
        ] + extraArguments
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self else { return }
            if data.isEmpty { handle.readabilityHandler = nil }
            self.append(data)
        }
        try process.run()
        if waitForListening {
            // Both listeners' lines (SIP's first; HTTP's once the API answers, when the controller
            // holds the plan and its agents).
            guard waitForLine(event: "sip.listening", timeout: 15) != nil, waitForLine(event: "http.listening", timeout: 5) != nil else {
                stop(signal: SIGKILL)
                throw HarnessError("controller did not start listening; its log:\n\(log)")
            }
        }
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        if ownsFolder { try? FileManager.default.removeItem(at: dataFolder) }
    }

    /// The SIP port the controller bound (from its `sip.listening addr=…` line).
    var sipPort: UInt16 {
        get throws {
            guard let line = lines(event: "sip.listening").first,
                  let addr = Self.field("addr", in: line), let port = addr.split(separator: ":").last.flatMap({ UInt16($0) }) else {
                throw HarnessError("no sip.listening line in the controller's log:\n\(log)")
            }
            return port
        }
    }

    /// The HTTP address the controller bound (from `http.listening addr=…`).
    var httpAddress: String {
        get throws {
            guard let line = lines(event: "http.listening").first, let addr = Self.field("addr", in: line) else {
                throw HarnessError("no http.listening line in the controller's log:\n\(log)")
            }
            return addr
        }
    }

    /// The admin token the controller generated into its data folder.
    var adminToken: String {
        get throws {
            try String(contentsOf: dataFolder.appendingPathComponent("var/admin-token"), encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// Replaces the plan file (for a reload).
    func writePlan(_ text: String) throws {
        try text.write(to: planFolder.appendingPathComponent("main.dialplan"), atomically: true, encoding: .utf8)
    }

    /// Sends a signal without waiting (SIGHUP for a reload).
    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    var lines: [String] { lock.withLock { collected } }
    var log: String { lines.joined(separator: "\n") }

    /// Lines with `event=NAME`.
    func lines(event: String) -> [String] {
        lines.filter { Self.field("event", in: $0) == event }
    }

    /// Waits for a line with `event=NAME` for which `where` holds; nil on timeout.
    @discardableResult
    func waitForLine(event: String, timeout: TimeInterval, where condition: (String) -> Bool = { _ in true }) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            if let line = lines(event: event).first(where: condition) { return line }
            usleep(10_000)
        } while Date() < deadline
        return nil
    }

    /// Sends `signal` and waits (bounded) for the process to exit; returns its exit status,
    /// or nil if it did not exit in time (it is then killed).
    @discardableResult
    func stop(signal: Int32 = SIGTERM, timeout: TimeInterval = 15) -> Int32? {
        guard process.isRunning else { return process.terminationStatus }
        kill(process.processIdentifier, signal)
        guard let status = waitForExit(timeout: timeout) else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        return status
    }

    /// Waits (bounded) for a process that should exit by itself; returns its status or nil.
    func waitForExit(timeout: TimeInterval) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        guard !process.isRunning else { return nil }
        process.waitUntilExit()
        usleep(50_000)  // let the pipe reader take the last lines
        return process.terminationStatus
    }

    /// The value of `key=` in a logfmt line (quoted values unquoted, escapes kept).
    static func field(_ key: String, in line: String) -> String? {
        guard let range = line.range(of: " \(key)=") ?? (line.hasPrefix("\(key)=") ? line.range(of: "\(key)=") : nil) else { return nil }
        let rest = line[range.upperBound...]
        if rest.hasPrefix("\"") {
            var value = ""
            var escaped = false
            for ch in rest.dropFirst() {
                if escaped { value.append(ch); escaped = false; continue }
                if ch == "\\" { escaped = true; value.append(ch); continue }
                if ch == "\"" { break }
                value.append(ch)
            }
            return value
        }
        return String(rest.prefix(while: { $0 != " " }))
    }

    private func append(_ data: Data) {
        lock.withLock {
            partial.append(data)
            while let newline = partial.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: partial[partial.startIndex..<newline], as: UTF8.self)
                if keeps(line) { collected.append(line) }
                partial.removeSubrange(partial.startIndex...newline)
            }
        }
    }
}
