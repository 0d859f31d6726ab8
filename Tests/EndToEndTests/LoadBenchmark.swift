import Foundation
import Testing

extension EndToEnd {
    /// `make bench` only (THROUGHLINE_BENCH=1): the release controller under SIPp load on
    /// loopback. (a) calls held hearing hold music, ramped up, with RTP delivery counted per
    /// stream; (b) calls per second, ramped up, with INVITE-to-200 percentiles; (d) CPU and
    /// memory per call. Every step is bounded in calls and time; the table is printed and
    /// written to var/bench/load.json. Asserts nothing about speed: the figures are the output.
    @Suite("Benchmark: load", .enabled(if: ProcessInfo.processInfo.environment["THROUGHLINE_BENCH"] == "1"), .serialized)
    struct LoadBenchmark {
        /// Callers go to a queue with nobody to take them: please-hold, then hold music for
        /// as long as they stay.
        static let plan = TestPlan.trusting("127.0.0.1", TestPlan.queue(agents: [.init("nobody", port: 9, skills: "x=1")],
                                         queues: "queue q {\n  require x>=5\n  join-empty yes\n}\n", settings: "  repeat-caller-window 0s\n"))

        /// Sinks for the RTP and the CSV that spreads the calls over them.
        static func sinks(_ count: Int) throws -> ([RTPSink], URL) {
            let sinks = try (0..<count).map { _ in try RTPSink() }
            let csv = Repository.root.appendingPathComponent(".build/bench-load-ports-\(getpid()).csv")
            try ("SEQUENTIAL\n" + sinks.map { "\($0.port);" }.joined(separator: "\n") + "\n").write(to: csv, atomically: true, encoding: .utf8)
            return (sinks, csv)
        }

        /// A controller with the default call limit (no `--max-calls`): the build's 4,096, as
        /// the RTP range given here (two ports a call, and 32 calls to spare) allows.
        static func controller(_ name: String, calls: Int) throws -> ControllerProcess {
            try ControllerProcess(name: name, plan: plan, rtpPorts: 2 * calls + 64)
        }

        /// CPU seconds (user + system) and resident memory (KiB) of a process, from /proc.
        static func usage(_ pid: Int32) -> (cpu: Double, rssKiB: Int) {
            let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
            let fields = stat.split(separator: ")").last?.split(separator: " ") ?? []
            let ticks = fields.count > 13 ? (Double(fields[11]) ?? 0) + (Double(fields[12]) ?? 0) : 0
            let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
            let rss = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }.flatMap { Int($0.split(separator: " ")[1]) } ?? 0
            return (ticks / Double(sysconf(Int32(_SC_CLK_TCK))), rss)
        }

        static func percentile(_ sorted: [Double], _ p: Double) -> Double {
            sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * p))]
        }

        /// SIPp's per-call response times (`-trace_rtt`), in ms.
        static func responseTimes(_ folder: URL) -> [Double] {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            guard let rtt = files.first(where: { $0.hasSuffix("_rtt.csv") }),
                  let text = try? String(contentsOf: folder.appendingPathComponent(rtt), encoding: .utf8) else { return [] }
            return text.split(separator: "\n").dropFirst().compactMap { line in
                let f = line.split(separator: ";")
                return f.count >= 2 ? Double(f[1]) : nil
            }
        }

        @Test func callsHeldAndCallsPerSecond() throws {
            var rows: [(String, String)] = []
            var json: [String: Any] = [:]
            let environment = ProcessInfo.processInfo.environment
            let maxHeld = Int(environment["THROUGHLINE_BENCH_MAX_HELD"] ?? "") ?? 4000
            // For profiling one step: THROUGHLINE_BENCH_HELD_STEPS=2400 THROUGHLINE_BENCH_RATES= (none).
            let heldSteps = environment["THROUGHLINE_BENCH_HELD_STEPS"].map { $0.split(separator: ",").compactMap { Int($0) } }
                ?? [300, 600, 1200, 1800, 2400, 3200, 4000].filter { $0 <= maxHeld }
            let rates = environment["THROUGHLINE_BENCH_RATES"].map { $0.split(separator: ",").compactMap { Int($0) } }
                ?? [100, 200, 300, 400, 600, 800, 1000]

            // (a) Calls held: each step brings N calls up at 200 a second, holds them, counts
            // 5 s of RTP per stream, then lets them go.
            var heldOK = 0
            for target in heldSteps {
                let (sinks, csv) = try Self.sinks(8)
                defer { sinks.forEach { $0.stop() }; try? FileManager.default.removeItem(at: csv) }
                let controller = try Self.controller("bench-held-\(target)", calls: target)
                let pid = controller.process.processIdentifier
                let idle = Self.usage(pid)
                let rampSeconds = Double(target) / 200
                let hold = Int((rampSeconds + 12) * 1000)
                let callers = try SIPpRun.start(scenario: "uac-listens-on-its-csv-port-then-hangs-up.xml", target: try controller.sipPort,
                                                calls: target, pause: hold, extra: ["-inf", csv.path, "-l", String(target), "-r", "200",
                                                                                     "-trace_rtt", "-rtt_freq", "1", "-timer_resol", "1"],
                                                timeLimit: rampSeconds + 40)
                Thread.sleep(forTimeInterval: rampSeconds + 3)
                let before = Self.usage(pid)
                sinks.forEach { $0.startCounting() }
                Thread.sleep(forTimeInterval: 5)
                let counts = sinks.map { $0.stopCounting() }.reduce(into: [UInt32: RTPSink.Stream]()) { $0.merge($1) { a, _ in a } }
                let after = Self.usage(pid)
                let run = callers.wait(keepFolder: true)
                defer { try? FileManager.default.removeItem(at: run.folder) }
                _ = controller.stop()
                // Streams that were flowing through the window (a stalled one shows few packets).
                let streams = counts.values.filter { $0.expected >= 240 }.count
                let delivered = Double(counts.values.reduce(0) { $0 + $1.received }) / Double(max(1, counts.values.reduce(0) { $0 + $1.expected }))
                let worst = counts.values.map { Double($0.received) / Double(max(1, $0.expected)) }.min() ?? 0
                let cpu = (after.cpu - before.cpu) / 5
                let failed = run.exitStatus != 0
                let times = Self.responseTimes(run.folder).sorted()
                rows.append(("held \(target): streams / delivered / worst call / INVITE-200 p99", String(format: "%d / %.2f%% / %.1f%% / %.1f ms%@",
                             streams, delivered * 100, worst * 100, Self.percentile(times, 0.99), failed ? " / FAILED CALLS" : "")))
                rows.append(("held \(target): CPU (of one core) / per call; RSS / per call", String(format: "%.0f%% / %.3f%%; %d MiB / %.0f KiB",
                             cpu * 100, cpu * 100 / Double(target), after.rssKiB / 1024, Double(after.rssKiB - idle.rssKiB) / Double(target))))
                json["held_\(target)"] = ["streams": streams, "delivered": delivered, "worst_call": worst, "failed": failed,
                                          "cpu_cores": cpu, "rss_kib": after.rssKiB, "rss_per_call_kib": Double(after.rssKiB - idle.rssKiB) / Double(target),
                                          "invite_200_ms_p99": Self.percentile(times, 0.99)]
                guard !failed, delivered >= 0.999, streams == target else { break }
                heldOK = target
            }
            rows.append(("most calls held with no failure and >= 99.9% RTP", String(heldOK)))
            json["held_max"] = heldOK

            // (b) Calls per second: 5 s at each rate, each call up 1 s.
            var rateOK = 0, rateFast = 0, stillFast = true
            for rate in rates {
                let (sinks, csv) = try Self.sinks(4)
                defer { sinks.forEach { $0.stop() }; try? FileManager.default.removeItem(at: csv) }
                let controller = try Self.controller("bench-cps-\(rate)", calls: rate * 3)
                let calls = rate * 5
                let run = try SIPpRun.run(scenario: "uac-listens-on-its-csv-port-then-hangs-up.xml", target: try controller.sipPort, calls: calls,
                                          pause: 1000, extra: ["-inf", csv.path, "-l", String(rate * 3), "-r", String(rate),
                                                               "-trace_rtt", "-rtt_freq", "1", "-timer_resol", "1"], timeLimit: 40, keepFolder: true)
                _ = controller.stop()
                let times = Self.responseTimes(run.folder).sorted()
                try? FileManager.default.removeItem(at: run.folder)
                let failed = run.exitStatus != 0 || times.count < calls
                rows.append(("\(rate) calls/s: INVITE-200 p50 / p95 / p99", String(format: "%.1f / %.1f / %.1f ms (%d calls)%@",
                             Self.percentile(times, 0.5), Self.percentile(times, 0.95), Self.percentile(times, 0.99), times.count, failed ? ", FAILED CALLS" : "")))
                json["cps_\(rate)"] = ["p50_ms": Self.percentile(times, 0.5), "p95_ms": Self.percentile(times, 0.95),
                                       "p99_ms": Self.percentile(times, 0.99), "calls": times.count, "failed": failed]
                guard !failed else { break }
                rateOK = rate
                stillFast = stillFast && Self.percentile(times, 0.99) < 20
                if stillFast { rateFast = rate }
            }
            rows.append(("highest rate with no failed call (calls/s)", String(rateOK)))
            rows.append(("highest rate with INVITE-200 p99 under 20 ms (calls/s)", String(rateFast)))
            json["cps_max"] = rateOK
            json["cps_max_p99_under_20ms"] = rateFast

            let width = rows.map(\.0.count).max() ?? 0
            print("Throughline load (\(ProcessInfo.processInfo.activeProcessorCount) cores, release binary, SIPp on loopback)")
            for (name, value) in rows { print("  " + name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value) }
            let folder = Repository.root.appendingPathComponent("var/bench")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys, .prettyPrinted]).write(to: folder.appendingPathComponent("load.json"))
        }
    }
}
