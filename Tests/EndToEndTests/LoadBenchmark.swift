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

        /// A controller with the default call limit (no `--max-calls`): as many as the build,
        /// the RTP range given here (two ports a call, and 32 calls to spare) and the open
        /// files allow.
        static func controller(_ name: String, plan: String = plan, calls: Int, extra: [String]) throws -> ControllerProcess {
            try ControllerProcess(name: name, plan: plan, extraArguments: extra, rtpPorts: 2 * calls + 64)
        }

        /// CPU seconds (user + system) and resident memory (KiB) of a process, from /proc.
        static func usage(_ pid: Int32) -> (cpu: Double, rssKiB: Int) {
            let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
            let rss = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }.flatMap { Int($0.split(separator: " ")[1]) } ?? 0
            return (cpuTime("/proc/\(pid)/stat")?.seconds ?? 0, rss)
        }

        /// A /proc `stat` file's command name and CPU seconds (user + system), for a process
        /// or one of its threads.
        static func cpuTime(_ path: String) -> (name: String, seconds: Double)? {
            guard let stat = try? String(contentsOfFile: path, encoding: .utf8),
                  let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")") else { return nil }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 13 else { return nil }
            let ticks = (Double(fields[11]) ?? 0) + (Double(fields[12]) ?? 0)
            return (String(stat[stat.index(after: open)..<close]), ticks / Double(sysconf(Int32(_SC_CLK_TCK))))
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

        /// The IVR workload's plan: every call goes to a menu whose greeting is a 120 s tone,
        /// played by a player of its own, in a prompt folder made for the run (the shipped
        /// prompts plus the tone, written by sox).
        static func ivrPlan() throws -> (plan: String, prompts: URL) {
            let folder = Repository.root.appendingPathComponent(".build/bench-ivr-prompts-\(getpid())")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for file in try FileManager.default.contentsOfDirectory(atPath: Repository.prompts.path) where file.hasSuffix(".wav") {
                try? FileManager.default.copyItem(at: Repository.prompts.appendingPathComponent(file), to: folder.appendingPathComponent(file))
            }
            let sox = Process()
            sox.executableURL = URL(fileURLWithPath: "/usr/bin/sox")
            sox.arguments = ["-n", "-r", "8000", "-c", "1", "-b", "16", "-e", "signed-integer",
                             folder.appendingPathComponent("bench-ivr-greeting.wav").path, "synth", "120", "sine", "300-3000"]
            try sox.run()
            sox.waitUntilExit()
            guard sox.terminationStatus == 0 else { throw HarnessError("sox could not write the IVR benchmark's greeting") }
            let plan = TestPlan.trusting("127.0.0.1", """
                settings {
                  prompts "\(folder.path)"
                  repeat-caller-window 0s
                }
                route default -> menu ivr
                menu ivr {
                  greeting "bench-ivr-greeting"
                  timeout 10s
                  option 1 -> hangup
                }
                """)
            return (plan, folder)
        }

        /// The key-wait workload's plan: a short greeting, then a minute's wait for a key, with
        /// silence sent (`yes`, the default) or not.
        static func keyWaitPlan(prompts: URL, sendSilence: Bool) -> String {
            TestPlan.trusting("127.0.0.1", """
                settings {
                  prompts "\(prompts.path)"
                  repeat-caller-window 0s
                  send-silence \(sendSilence ? "yes" : "no")
                }
                route default -> menu wait
                menu wait {
                  greeting "welcome"
                  timeout 60s
                  option 1 -> hangup
                }
                """)
        }

        /// One held step: brings `target` calls up at 200 a second, holds them, counts 5 s of
        /// RTP per stream on 8 receivers, then lets them go. Clean: no failed call, a stream
        /// for every call, at least 99.9 % of the packets sent delivered and of the packets
        /// owed (50 a second a stream) received, and no stream under 99 % of its 50 a second.
        static func held(_ target: Int, plan: String, name: String, extra: [String], silent: Bool = false) throws -> (rows: [(String, String)], json: [String: Any], clean: Bool) {
            let (sinks, csv) = try Self.sinks(8)
            defer { sinks.forEach { $0.stop() }; try? FileManager.default.removeItem(at: csv) }
            let controller = try Self.controller(name, plan: plan, calls: target, extra: extra)
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
            let threadsBefore = Self.threadTimes(pid)
            sinks.forEach { $0.startCounting() }
            let opened = Date()
            Thread.sleep(forTimeInterval: 5)
            let counts = sinks.map { $0.stopCounting() }.reduce(into: [UInt32: RTPSink.Stream]()) { $0.merge($1) { a, _ in a } }
            let window = Date().timeIntervalSince(opened)
            let after = Self.usage(pid)
            let busiest = Self.threadTimes(pid).map { ($0.key, ($0.value - (threadsBefore[$0.key] ?? 0)) / 5) }.sorted { $0.1 > $1.1 }.prefix(3)
            let run = callers.wait(keepFolder: true)
            defer { try? FileManager.default.removeItem(at: run.folder) }
            _ = controller.stop()
            // Delivered: of the packets sent (by sequence number), how many arrived. Paced: of
            // the 50 a second each stream is owed over the window, how many arrived; a mixer
            // that falls behind sends fewer, and loses none. Every call should have a stream;
            // the worst stream may be one packet short at each edge of the window (0.8 %).
            let streams = counts.count
            let received = counts.values.reduce(0) { $0 + $1.received }
            let delivered = Double(received) / Double(max(1, counts.values.reduce(0) { $0 + $1.expected }))
            let owed = window * 50
            let paced = Double(received) / (Double(target) * owed)
            let worst = counts.values.map { Double($0.received) / owed }.min() ?? 0
            let cpu = (after.cpu - before.cpu) / 5
            let failed = run.exitStatus != 0
            let times = Self.responseTimes(run.folder).sorted()
            let rows = [
                ("streams / delivered / paced / worst stream / INVITE-200 p99", String(format: "%d / %.2f%% / %.2f%% / %.1f%% / %.1f ms%@",
                 streams, delivered * 100, paced * 100, worst * 100, Self.percentile(times, 0.99), failed ? " / FAILED CALLS" : "")),
                ("CPU (of one core) / per call; RSS / per call", String(format: "%.0f%% / %.3f%%; %d MiB / %.0f KiB",
                 cpu * 100, cpu * 100 / Double(target), after.rssKiB / 1024, Double(after.rssKiB - idle.rssKiB) / Double(target))),
                ("busiest threads (% of one core)", busiest.map { String(format: "%@ %.0f%%", $0.0, $0.1 * 100) }.joined(separator: ", ")),
            ]
            let json: [String: Any] = ["streams": streams, "delivered": delivered, "paced": paced, "worst_stream": worst, "failed": failed,
                                       "cpu_cores": cpu, "rss_kib": after.rssKiB, "rss_per_call_kib": Double(after.rssKiB - idle.rssKiB) / Double(target),
                                       "invite_200_ms_p99": Self.percentile(times, 0.99),
                                       "threads": Dictionary(busiest.map { ($0.0, $0.1) }, uniquingKeysWith: +)]
            // A silent step (`send-silence no` while the menu waits) is clean with no packet at all.
            return (rows, json, silent ? !failed && received == 0 : !failed && streams == target && delivered >= 0.999 && paced >= 0.999 && worst >= 0.99)
        }

        /// CPU seconds per thread of a process, by thread name (`name/tid` when names repeat),
        /// from /proc/PID/task.
        static func threadTimes(_ pid: Int32) -> [String: Double] {
            let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
            var times: [String: Double] = [:]
            for tid in tasks {
                guard let thread = cpuTime("/proc/\(pid)/task/\(tid)/stat") else { continue }
                times["\(thread.name)/\(tid)"] = thread.seconds
            }
            return times
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
                ?? [100, 200, 300, 400, 600, 800, 900, 1000, 1200, 1500]
            // Passed to every controller: THROUGHLINE_BENCH_MEDIA="--media-threads 1" compares settings.
            let mediaArguments = environment["THROUGHLINE_BENCH_MEDIA"].map { $0.split(separator: " ").map(String.init) } ?? []

            // (a) Calls held, two workloads: every caller hearing the queue's one shared music
            // player, then every caller hearing its own copy of a long IVR greeting (a player,
            // a read and a mix per caller per frame: the common case, and the mixer's worst).
            let ivr = try Self.ivrPlan()
            defer { try? FileManager.default.removeItem(at: ivr.prompts) }
            let ivrSteps = environment["THROUGHLINE_BENCH_IVR_STEPS"].map { $0.split(separator: ",").compactMap { Int($0) } }
                ?? [1200, 1600, 2000, 2400, 3200, 4000, 5000, 6000]
            for (workload, plan, steps) in [("held", Self.plan, heldSteps), ("held IVR", ivr.plan, ivrSteps)] {
                var heldOK = 0
                for target in steps {
                    let step = try Self.held(target, plan: plan, name: workload == "held" ? "bench-held-\(target)" : "bench-ivr-\(target)", extra: mediaArguments)
                    rows += step.rows.map { ("\(workload) \(target): " + $0.0, $0.1) }
                    json["\(workload == "held" ? "held" : "held_ivr")_\(target)"] = step.json
                    guard step.clean else { break }
                    heldOK = target
                }
                rows.append(("most calls \(workload) with no failure and >= 99.9% of 50 packets/s", String(heldOK)))
                json[workload == "held" ? "held_max" : "held_ivr_max"] = heldOK
            }
            // What a caller waiting for a key costs, with silence sent and without.
            let waiting = Int(environment["THROUGHLINE_BENCH_WAITING"] ?? "") ?? 2400
            for sendSilence in waiting > 0 ? [true, false] : [] {
                let step = try Self.held(waiting, plan: Self.keyWaitPlan(prompts: ivr.prompts, sendSilence: sendSilence),
                                         name: "bench-wait-\(sendSilence)", extra: mediaArguments, silent: !sendSilence)
                rows += step.rows.map { ("waiting for a key, send-silence \(sendSilence ? "yes" : "no"), \(waiting): " + $0.0, $0.1) }
                json["key_wait_\(sendSilence ? "silence" : "nothing")_\(waiting)"] = step.json
            }

            // (b) Calls per second: 5 s at each rate, each call up 1 s.
            var rateOK = 0, rateFast = 0, stillFast = true
            for rate in rates {
                let (sinks, csv) = try Self.sinks(4)
                defer { sinks.forEach { $0.stop() }; try? FileManager.default.removeItem(at: csv) }
                let controller = try Self.controller("bench-cps-\(rate)", calls: rate * 2, extra: mediaArguments)
                let calls = rate * 5
                let run = try SIPpRun.run(scenario: "uac-listens-on-its-csv-port-then-hangs-up.xml", target: try controller.sipPort, calls: calls,
                                          pause: 1000, extra: ["-inf", csv.path, "-l", String(rate * 2), "-r", String(rate),
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

            try Self.printTable("Throughline load (\(ProcessInfo.processInfo.activeProcessorCount) cores, release binary, SIPp on loopback)",
                                rows: rows, json: json, file: "load.json")
        }

        /// Prints `rows` as a table under `title` and writes `json` to var/bench/`file`.
        static func printTable(_ title: String, rows: [(String, String)], json: [String: Any], file: String) throws {
            let width = rows.map(\.0.count).max() ?? 0
            print(title)
            for (name, value) in rows { print("  " + name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value) }
            let folder = Repository.root.appendingPathComponent("var/bench")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys, .prettyPrinted]).write(to: folder.appendingPathComponent(file))
        }
    }
}
