import Foundation
import Testing

extension EndToEnd {
    /// `make bench` only (THROUGHLINE_BENCH=1): short IVR calls (answer, menu, key 1 by INFO,
    /// goodbye, BYE) at a steady rate from one number, every call a repeat on the same open
    /// reference, against the same load from a different number each call. A caller's
    /// thousandth call must cost what their first did: the one-number run fails no call.
    /// Prints calls, failures (and how many of them the controller left in a prompt),
    /// INVITE-200 percentiles and the controller process's CPU (all its threads); writes
    /// var/bench/repeat-caller.json; asserts only that the runs completed.
    @Suite("Benchmark: a repeat caller's history", .enabled(if: ProcessInfo.processInfo.environment["THROUGHLINE_BENCH"] == "1"), .serialized)
    struct RepeatCallerSoakBenchmark {
        /// Every call hears welcome; 1 hangs up (goodbye). The default repeat-caller window
        /// (7 days), so a returning number attaches to its open reference.
        static let plan = TestPlan.trusting("127.0.0.1", TestPlan.keyOneHangsUp)

        struct Run {
            var label: String
            var calls: Int
            var rate: Int
            var numbers: Int
        }

        @Test func oneNumberAgainstManyNumbers() throws {
            let environment = ProcessInfo.processInfo.environment
            let calls = Int(environment["THROUGHLINE_BENCH_SOAK_CALLS"] ?? "") ?? 10_000
            let runs = [Run(label: "one number", calls: calls, rate: 250, numbers: 1),
                        Run(label: "one number per call", calls: calls, rate: 500, numbers: calls)]
            var rows: [(String, String)] = []
            var json: [String: [String: Double]] = [:]
            for run in runs {
                let figures = try Self.soak(run)
                rows.append(("\(run.label), \(run.calls) calls at \(run.rate)/s: failed / left in a prompt / INVITE-200 p50 / p99 / process CPU",
                             String(format: "%d / %d / %.1f ms / %.1f ms / %.0f%% of one core", Int(figures["failed"] ?? 0), Int(figures["left_in_a_prompt"] ?? 0),
                                    figures["p50_ms"] ?? 0, figures["p99_ms"] ?? 0, (figures["cpu_cores"] ?? 0) * 100)))
                json[run.numbers == 1 ? "one_number" : "many_numbers"] = figures
            }
            let width = rows.map(\.0.count).max() ?? 0
            print("Throughline repeat-caller soak (\(ProcessInfo.processInfo.activeProcessorCount) cores, release binary, SIPp on loopback)")
            for (name, value) in rows { print("  " + name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value) }
            let folder = Repository.root.appendingPathComponent("var/bench")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            try encoder.encode(json).write(to: folder.appendingPathComponent("repeat-caller.json"))
        }

        /// One run on a fresh controller (a fresh store): `numbers` caller numbers in turn,
        /// their RTP spread over four sinks.
        static func soak(_ run: Run) throws -> [String: Double] {
            let sinks = try (0..<4).map { _ in try RTPSink() }
            defer { sinks.forEach { $0.stop() } }
            let csv = Repository.root.appendingPathComponent(".build/bench-soak-\(getpid()).csv")
            defer { try? FileManager.default.removeItem(at: csv) }
            let lines = (0..<max(run.numbers, sinks.count)).map { i in
                "\(run.numbers == 1 ? "5551234" : String(5_550_000_000 + i));\(sinks[i % sinks.count].port);"
            }
            try ("SEQUENTIAL\n" + lines.joined(separator: "\n") + "\n").write(to: csv, atomically: true, encoding: .utf8)
            let concurrent = run.rate * 4
            let controller = try ControllerProcess(name: "bench-soak-\(run.numbers)", plan: plan, rtpPorts: 2 * concurrent + 64)
            let pid = controller.process.processIdentifier
            let before = LoadBenchmark.usage(pid)
            let started = Date()
            let sipp = try SIPpRun.run(scenario: "uac-from-its-csv-number-keys-1-by-info-is-hung-up.xml", target: try controller.sipPort,
                                       calls: run.calls, pause: 1000,
                                       // A call left waiting 10 s for the controller's next message has failed.
                                       extra: ["-inf", csv.path, "-l", String(concurrent), "-r", String(run.rate), "-recv_timeout", "10000",
                                               "-trace_rtt", "-rtt_freq", "1", "-timer_resol", "1"],
                                       timeLimit: Double(run.calls) / Double(run.rate) + 60, keepFolder: true)
            defer { try? FileManager.default.removeItem(at: sipp.folder) }
            let seconds = Date().timeIntervalSince(started)
            let after = LoadBenchmark.usage(pid)
            // A call whose menu never ended (its outcome not logged 5 s after the last caller
            // gave up) was left in a prompt: slow calls finish late, a lost prompt end never.
            Thread.sleep(forTimeInterval: 5)
            let stuck = controller.lines(event: "call.arrived").count - controller.lines(event: "ivr.outcome").count
            #expect(controller.stop() == 0)
            let times = LoadBenchmark.responseTimes(sipp.folder).sorted()
            let succeeded = sipp.statistic("Successful call") ?? 0
            if succeeded < run.calls { print("\(run.label): \(run.calls - succeeded) calls failed\n\(sipp.report)") }
            return ["calls": Double(run.calls), "rate": Double(run.rate), "numbers": Double(run.numbers),
                    "succeeded": Double(succeeded), "failed": Double(run.calls - succeeded), "left_in_a_prompt": Double(stuck),
                    "p50_ms": LoadBenchmark.percentile(times, 0.5), "p99_ms": LoadBenchmark.percentile(times, 0.99),
                    "cpu_cores": (after.cpu - before.cpu) / seconds]
        }
    }
}
