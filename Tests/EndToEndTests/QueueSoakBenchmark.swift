import Foundation
import Testing

extension EndToEnd {
    /// `make bench` only (THROUGHLINE_BENCH=1): a soak of 100,000 calls through menu and queue
    /// at a steady 120 calls a second, about 14 minutes (THROUGHLINE_BENCH_QUEUE_SOAK_CALLS and
    /// _RATE set them; at 200 a second this machine's two cores fall behind, callers pile up
    /// and the capacity gate refuses some with 503): each
    /// caller hears welcome, keys 1 by INFO after 1 s, joins the support queue and is answered
    /// by one of 300 agents (one SIPp UAS for all of them) who talks 1 s and hangs up. The
    /// controller's resident memory is sampled every 10 s; the table says it after warm-up
    /// (the first minute) and at the end, and the growth between; afterwards no call and no
    /// leg may be left (`GET /api/metrics`). Writes var/bench/queue-soak.json.
    @Suite("Benchmark: a long soak through menu and queue", .enabled(if: ProcessInfo.processInfo.environment["THROUGHLINE_BENCH"] == "1"), .serialized)
    struct QueueSoakBenchmark {
        static let agents = 300

        static func plan(agentPort: UInt16) -> String {
            let agents = (0..<Self.agents).map { "agent a\($0) {\n  contact \"sip:a\($0)@127.0.0.1:\(agentPort)\"\n  skills support=1\n}\n" }
            return TestPlan.trusting("127.0.0.1", TestPlan.queue(agents: [], queues: "queue support {\n  require support>=1\n  wrap-up 0s\n  ring 10s\n}\n",
                                                                route: "route default -> menu main",
                                                                settings: "  repeat-caller-window 0s\n  last-agent-first 0s\n  no-answer-delay 0s\n"))
                + agents.joined() + """
                menu main {
                  greeting "welcome"
                  timeout 10s
                  attempts 1
                  option 1 -> queue support
                  on-failure -> hangup
                }
                """
        }

        @Test func aHundredThousandCallsLeaveNothingBehindAndMemoryFlat() throws {
            let calls = Int(ProcessInfo.processInfo.environment["THROUGHLINE_BENCH_QUEUE_SOAK_CALLS"] ?? "") ?? 100_000
            let rate = Int(ProcessInfo.processInfo.environment["THROUGHLINE_BENCH_QUEUE_SOAK_RATE"] ?? "") ?? 120
            let sinks = try (0..<4).map { _ in try RTPSink() }
            defer { sinks.forEach { $0.stop() } }
            let csv = Repository.root.appendingPathComponent(".build/bench-queue-soak-\(getpid()).csv")
            defer { try? FileManager.default.removeItem(at: csv) }
            let lines = (0..<1_000).map { "\(5_560_000_000 + $0);\(sinks[$0 % sinks.count].port);" }
            try ("SEQUENTIAL\n" + lines.joined(separator: "\n") + "\n").write(to: csv, atomically: true, encoding: .utf8)

            let agentPort = try FreePorts.udpBlock(count: 1)
            // 100,000 calls log millions of lines: the harness keeps the listening lines and warnings only.
            let controller = try ControllerProcess(name: "bench-queue-soak", plan: Self.plan(agentPort: agentPort),
                                                   rtpPorts: 2 * 6 * rate + 2 * Self.agents + 64,
                                                   keeping: { $0.contains("event=sip.listening") || $0.contains("event=http.listening") || !$0.contains("level=info") })
            let pid = controller.process.processIdentifier
            let agent = try SIPpRun.agent("uas-agent-answers-then-hangs-up.xml", port: agentPort, calls: calls,
                                          keys: ["controller": "127.0.0.1:\(try controller.sipPort)", "rtpport": String(sinks[0].port)],
                                          pause: 1000, timeLimit: Double(calls) / Double(rate) + 120)
            // Resident memory every 10 s, on its own thread, until the run ends.
            let samples = Samples()
            let sampler = Thread {
                let start = Date()
                while !samples.done {
                    samples.add(Date().timeIntervalSince(start), LoadBenchmark.usage(pid).rssKiB)
                    for _ in 0..<100 where !samples.done { usleep(100_000) }
                }
            }
            sampler.start()
            let started = Date()
            let callers = try SIPpRun.run(scenario: "uac-from-its-csv-number-keys-1-by-info-is-hung-up.xml", target: try controller.sipPort,
                                          calls: calls, pause: 1000,
                                          extra: ["-inf", csv.path, "-l", String(rate * 8), "-r", String(rate), "-recv_timeout", "20000"],
                                          timeLimit: Double(calls) / Double(rate) + 90)
            let seconds = Date().timeIntervalSince(started)
            Thread.sleep(forTimeInterval: 5)
            samples.add(Date().timeIntervalSince(started), LoadBenchmark.usage(pid).rssKiB)
            samples.done = true
            let metrics = try Curl.request("GET", "http://\(try controller.httpAddress)/api/metrics", token: try controller.adminToken)
            let left = (calls: metrics.json?["calls"] as? Int ?? -1, legs: metrics.json?["legs"] as? Int ?? -1)
            _ = agent.stop()
            #expect(controller.stop() == 0)

            let succeeded = callers.statistic("Successful call") ?? 0
            let all = samples.all
            let warm = all.first { $0.0 >= 60 }?.1 ?? all.first?.1 ?? 0
            let end = all.last?.1 ?? 0, peak = all.map(\.1).max() ?? 0
            func mb(_ kib: Int) -> String { String(format: "%.1f MB", Double(kib) / 1024) }
            let rows: [(String, String)] = [
                ("calls (at \(rate)/s, \(String(format: "%.0f", seconds)) s)", "\(calls): \(succeeded) succeeded, \(calls - succeeded) failed"),
                ("left at the end: calls / legs", "\(left.calls) / \(left.legs)"),
                ("resident memory after 60 s / at the end / peak", "\(mb(warm)) / \(mb(end)) / \(mb(peak))"),
                ("growth after warm-up", String(format: "%+.1f MB (%+.2f KB a call)", Double(end - warm) / 1024, Double(end - warm) / Double(max(calls, 1)))),
                ("samples every 10 s", all.map { String(format: "%.0f", Double($0.1) / 1024) }.joined(separator: " ")),
            ]
            let width = rows.map(\.0.count).max() ?? 0
            print("Throughline queue soak (\(ProcessInfo.processInfo.activeProcessorCount) cores, release binary, SIPp callers and agents on loopback)")
            for (name, value) in rows { print("  " + name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value) }
            if succeeded < calls { print("queue soak: \(calls - succeeded) calls failed\n\(callers.report)") }
            let folder = Repository.root.appendingPathComponent("var/bench")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let json: [String: Double] = ["calls": Double(calls), "rate": Double(rate), "failed": Double(calls - succeeded),
                                          "calls_left": Double(left.calls), "legs_left": Double(left.legs),
                                          "rss_after_warmup_kib": Double(warm), "rss_end_kib": Double(end), "rss_peak_kib": Double(peak)]
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            try encoder.encode(json).write(to: folder.appendingPathComponent("queue-soak.json"))
            #expect(left.calls == 0 && left.legs == 0, "left behind: \(left)")
        }

        /// The memory samples, (seconds since start, KiB), shared with the sampling thread.
        final class Samples: @unchecked Sendable {
            private let lock = NSLock()
            private var list: [(Double, Int)] = []
            private var finished = false
            var done: Bool {
                get { lock.withLock { finished } }
                set { lock.withLock { finished = newValue } }
            }
            func add(_ at: Double, _ kib: Int) { lock.withLock { list.append((at, kib)) } }
            var all: [(Double, Int)] { lock.withLock { list } }
        }
    }
}
