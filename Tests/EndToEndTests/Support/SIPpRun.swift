import Foundation

/// One SIPp run against the controller: a scenario from Tests/EndToEndTests/scenarios, a
/// bounded number of calls, a hard time limit, and its statistics and errors kept.
struct SIPpRun {
    let exitStatus: Int32
    let output: String
    let errors: String
    /// What the scenario's `<log message=…/>` actions wrote (`-trace_logs`).
    let logs: String
    /// SIPp's working folder, kept only with `keepFolder` (for its -trace_rtt files).
    let folder: URL

    /// Runs `sipp` to completion and returns what it reported.
    static func run(
        scenario: String, target: UInt16?, service: String = "5551000", calls: Int = 1,
        keys: [String: String] = [:], pause: Int? = nil, extra: [String] = [], timeLimit: TimeInterval = 30, keepFolder: Bool = false
    ) throws -> SIPpRun {
        try start(scenario: scenario, target: target, service: service, calls: calls, keys: keys,
                  pause: pause, extra: extra, timeLimit: timeLimit).wait(keepFolder: keepFolder)
    }

    /// Starts `sipp` in the background (at most `timeLimit`, killed after that); `wait()` on
    /// the result collects its report. `keys` become `-key NAME VALUE`; `pause` is `-d` (ms).
    static func start(
        scenario: String, target: UInt16?, service: String = "5551000", calls: Int = 1,
        keys: [String: String] = [:], pause: Int? = nil, extra: [String] = [], timeLimit: TimeInterval = 30,
        substitute: [String: String] = [:]
    ) throws -> Running {
        let folder = try Repository.scratchFolder("sipp")
        // SIPp reads a response's status line when it loads the scenario, before any
        // keyword is substituted: such values are written into a copy of the scenario.
        var scenarioPath = Repository.scenarios.appendingPathComponent(scenario).path
        if !substitute.isEmpty {
            var text = try String(contentsOfFile: scenarioPath, encoding: .utf8)
            for (placeholder, value) in substitute { text = text.replacingOccurrences(of: placeholder, with: value) }
            scenarioPath = folder.appendingPathComponent(scenario).path
            try text.write(toFile: scenarioPath, atomically: true, encoding: .utf8)
        }
        let mediaPort = try FreePorts.udpBlock(count: 4)
        var arguments = [
            "-sf", scenarioPath,
            "-s", service, "-i", "127.0.0.1", "-mi", "127.0.0.1", "-mp", String(mediaPort),
            "-m", String(calls), "-nostdin", "-timeout", "\(Int(timeLimit))s", "-timeout_error",
            "-trace_err", "-error_file", folder.appendingPathComponent("errors.log").path,
            "-trace_logs", "-log_file", folder.appendingPathComponent("logs.log").path,
        ]
        for (name, value) in keys.sorted(by: { $0.key < $1.key }) { arguments += ["-key", name, value] }
        if let pause { arguments += ["-d", String(pause)] }
        arguments += extra
        if let target { arguments.append("127.0.0.1:\(target)") }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sipp")
        process.arguments = arguments
        process.currentDirectoryURL = folder
        let outputFile = folder.appendingPathComponent("output.txt")
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        let handle = try FileHandle(forWritingTo: outputFile)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return Running(process: process, handle: handle, folder: folder, timeLimit: timeLimit)
    }

    /// A SIPp process started by `start`.
    /// A class so that a test leaving early (a failed `#require`) still ends its SIPp: one
    /// left behind was seen still running long after its own `-timeout`.
    final class Running {
        let process: Process
        let handle: FileHandle
        let folder: URL
        let timeLimit: TimeInterval

        init(process: Process, handle: FileHandle, folder: URL, timeLimit: TimeInterval) {
            self.process = process
            self.handle = handle
            self.folder = folder
            self.timeLimit = timeLimit
        }

        deinit {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }

        /// Ends a SIPp that is not expected to finish by itself (a phone that must never ring)
        /// and reads its report.
        func stop() -> SIPpRun {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            return wait()
        }

        /// Waits for SIPp to finish (bounded by its time limit plus 10 s) and reads its report.
        func wait(keepFolder: Bool = false) -> SIPpRun {
            defer { if !keepFolder { try? FileManager.default.removeItem(at: folder) } }
            let deadline = Date().addingTimeInterval(timeLimit + 10)
            while process.isRunning && Date() < deadline { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            try? handle.close()
            let output = (try? String(contentsOf: folder.appendingPathComponent("output.txt"), encoding: .utf8)) ?? ""
            let errors = (try? String(contentsOf: folder.appendingPathComponent("errors.log"), encoding: .utf8)) ?? ""
            let logs = (try? String(contentsOf: folder.appendingPathComponent("logs.log"), encoding: .utf8)) ?? ""
            return SIPpRun(exitStatus: process.terminationStatus, output: output, errors: errors, logs: logs, folder: folder)
        }
    }

    /// An agent's phone: SIPp as a UAS on `port`, answering `calls` calls with `scenario`.
    static func agent(_ scenario: String, port: UInt16, calls: Int = 1, keys: [String: String] = [:], pause: Int? = nil, timeLimit: TimeInterval = 30,
                      substitute: [String: String] = [:]) throws -> Running {
        try start(scenario: scenario, target: nil, calls: calls, keys: keys, pause: pause, extra: ["-p", String(port)], timeLimit: timeLimit,
                  substitute: substitute)
    }

    /// A cumulative counter from SIPp's final statistics screen ("Successful call",
    /// "Failed call"); nil when the screen was not printed (SIPp was killed).
    func statistic(_ name: String) -> Int? {
        guard let line = output.split(separator: "\n").last(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix(name + " ") }),
              let last = line.split(separator: "|").last else { return nil }
        return Int(last.trimmingCharacters(in: .whitespaces))
    }

    /// Everything SIPp said, for a failing expectation's message.
    var report: String { "sipp exit \(exitStatus)\n--- output\n\(output.suffix(3000))\n--- errors\n\(errors.suffix(3000))" }
}
