import Controller
import Foundation
import ThroughlineCore

// `make bench` (engine part): micro-benchmarks of the pure core, printed as a table and
// written as JSON. Timings belong here, never in unit tests.

let root = URL(fileURLWithPath: CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : FileManager.default.currentDirectoryPath)
let outFolder = root.appendingPathComponent("var/bench")
try? FileManager.default.createDirectory(at: outFolder, withIntermediateDirectories: true)

func nanoseconds(_ body: () -> Void) -> UInt64 {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return DispatchTime.now().uptimeNanoseconds - start
}

func percentile(_ values: [UInt64], _ p: Double) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return 0 }
    return Double(sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * p))]) / 1e6
}

var rows: [(String, String)] = []
var json: [String: Any] = [:]

// `THROUGHLINE_BENCH_ONLY=udp-floor` runs the last section alone (a minute, no store).
let everything = ProcessInfo.processInfo.environment["THROUGHLINE_BENCH_ONLY"] != "udp-floor"
if everything {
    // 1. Parse and check a generated 10,000-line plan, from the files on disk as `check` does.
    let planFolder = outFolder.appendingPathComponent("plan-10k")
    try? FileManager.default.createDirectory(at: planFolder, withIntermediateDirectories: true)
    let promptsFolder = root.appendingPathComponent("prompts/en").path
    let text = PlanGenerator.plan(lines: 10_000, promptsFolder: promptsFolder)
    let lineCount = text.split(separator: "\n", omittingEmptySubsequences: false).count
    try text.write(to: planFolder.appendingPathComponent("main.dialplan"), atomically: true, encoding: .utf8)
    var loadTimes: [UInt64] = [], parseTimes: [UInt64] = [], checkTimes: [UInt64] = []
    var diagnosticsCount = 0
    for _ in 0..<15 {
        loadTimes.append(nanoseconds { diagnosticsCount = PlanLoader.load(folder: planFolder.path).diagnostics.count })
        var plan = Dialplan()
        parseTimes.append(nanoseconds { plan = DialplanParser.parse([.init(path: "main.dialplan", text: text)]).plan })
        let prompts = Set(((try? FileManager.default.contentsOfDirectory(atPath: promptsFolder)) ?? []).map { String($0.dropLast(4)) })
        checkTimes.append(nanoseconds { _ = DialplanChecker.check(plan, prompts: prompts) })
    }
    rows.append(("plan: \(lineCount) lines, read + parse + check (p50 / p99 ms)", String(format: "%.1f / %.1f", percentile(loadTimes, 0.5), percentile(loadTimes, 0.99))))
    rows.append(("  parse only (p50 ms)", String(format: "%.1f", percentile(parseTimes, 0.5))))
    rows.append(("  check only (p50 ms)", String(format: "%.1f", percentile(checkTimes, 0.5))))
    rows.append(("  diagnostics reported", String(diagnosticsCount)))
    json["plan_lines"] = lineCount
    json["plan_load_ms_p50"] = percentile(loadTimes, 0.5)
    json["plan_load_ms_p99"] = percentile(loadTimes, 0.99)
    json["plan_parse_ms_p50"] = percentile(parseTimes, 0.5)
    json["plan_check_ms_p50"] = percentile(checkTimes, 0.5)

    // 2. The IVR engine: one key to the next prompt decision, over many calls.
    let small = DialplanParser.parse([.init(path: "m", text: """
    route default -> menu main
    menu main {
      greeting "main-greeting"
      option 1 -> queue q
      option 2 -> menu sub
      on-failure -> hangup
    }
    menu sub {
      greeting "main-short"
      option 1 -> queue q
      on-failure -> hangup
    }
    queue q {
    }
    """)]).plan
    var keyTimes: [UInt64] = []
    for n in 0..<20_000 {
        var session = IVRSession(plan: small, call: CallHandle(UInt64(n)), entry: .menu("main"))
        _ = session.start(at: .zero)
        let two = DTMFDigit("2")!
        keyTimes.append(nanoseconds { _ = session.digitReceived(two, at: .seconds(1)) })
    }
    rows.append(("IVR engine: key to next prompt decision (p50 / p99 µs)",
                 String(format: "%.2f / %.2f", percentile(keyTimes, 0.5) * 1000, percentile(keyTimes, 0.99) * 1000)))
    json["ivr_key_us_p50"] = percentile(keyTimes, 0.5) * 1000
    json["ivr_key_us_p99"] = percentile(keyTimes, 0.99) * 1000

    // 3. The queue engine: 10,000 agents, 100,000 waiting callers.
    let queueBench = QueueRoutingBenchmark.run()
    func micro(_ values: [UInt64]) -> String {
        String(format: "%.2f / %.2f", percentile(values, 0.5) * 1000, percentile(values, 0.99) * 1000)
    }
    rows.append(("queue engine: \(queueBench.agents) agents, \(queueBench.waiting) callers waiting, \(queueBench.decisions) decisions", ""))
    rows.append(("  agent free -> caller chosen and offered (p50 / p99 µs)", micro(queueBench.freeToOffer)))
    rows.append(("  caller joins, every agent busy (p50 / p99 µs)", micro(queueBench.join)))
    rows.append(("  agent answers (p50 / p99 µs)", micro(queueBench.answer)))
    rows.append(("  setup: fill 10,000 busy agents + 100,000 callers (s)", String(format: "%.1f", queueBench.setupSeconds)))
    // The same at a tenth of the size: the decision time should hardly move (heaps, not scans).
    let smallQueue = QueueRoutingBenchmark.run(agents: 1_000, waiting: 10_000, decisions: 20_000)
    rows.append(("  for scale, 1,000 agents / 10,000 waiting: agent free -> offer (p50 / p99 µs)", micro(smallQueue.freeToOffer)))
    json["queue_small_free_to_offer_us_p50"] = percentile(smallQueue.freeToOffer, 0.5) * 1000
    json["queue_small_free_to_offer_us_p99"] = percentile(smallQueue.freeToOffer, 0.99) * 1000
    json["queue_agents"] = queueBench.agents
    json["queue_waiting"] = queueBench.waiting
    json["queue_free_to_offer_us_p50"] = percentile(queueBench.freeToOffer, 0.5) * 1000
    json["queue_free_to_offer_us_p99"] = percentile(queueBench.freeToOffer, 0.99) * 1000
    json["queue_join_us_p50"] = percentile(queueBench.join, 0.5) * 1000
    json["queue_join_us_p99"] = percentile(queueBench.join, 0.99) * 1000
    json["queue_answer_us_p50"] = percentile(queueBench.answer, 0.5) * 1000
    json["queue_answer_us_p99"] = percentile(queueBench.answer, 0.99) * 1000

    // 4. The switchboard: one input's own time, for the inputs a phone waits on.
    let switchboardBench = SwitchboardBenchmark.run()
    rows.append(("switchboard: 100 callers waiting, one agent taking them in turn (pops wanted)", ""))
    rows.append(("  agent hangs up -> call finished, next caller's INVITE returned (p50 / p99 µs)", micro(switchboardBench.agentFree)))
    rows.append(("  caller arrives -> joins the queue (p50 / p99 µs)", micro(switchboardBench.arrival)))
    rows.append(("  agent answers (p50 / p99 µs)", micro(switchboardBench.answer)))
    json["switchboard_agent_free_us_p50"] = percentile(switchboardBench.agentFree, 0.5) * 1000
    json["switchboard_agent_free_us_p99"] = percentile(switchboardBench.agentFree, 0.99) * 1000
    json["switchboard_arrival_us_p50"] = percentile(switchboardBench.arrival, 0.5) * 1000
    json["switchboard_answer_us_p50"] = percentile(switchboardBench.answer, 0.5) * 1000

    // 5. A report over a million recorded queue events (store read, then the computation).
    let report = try ReportBenchmark.run(folder: outFolder.appendingPathComponent("report-store").path)
    rows.append(("report over \(report.events) recorded queue events, \(report.rows) queues", ""))
    rows.append(("  sum them in SQLite (s)", String(format: "%.2f", report.readSeconds)))
    rows.append(("  compute the figures (s)", String(format: "%.2f", report.computeSeconds)))
    rows.append(("  total (s; the target is under 1 s)", String(format: "%.2f", report.readSeconds + report.computeSeconds)))
    rows.append(("  setup: write them (s)", String(format: "%.1f", report.fillSeconds)))
    json["report_events"] = report.events
    json["report_read_s"] = report.readSeconds
    json["report_compute_s"] = report.computeSeconds
}

// 6. The kernel's floor under the held-IVR figures: the same RTP packets from a bare thread.
rows.append(("bare UDP sender, one socket a stream, 50 packets/s each (sender thread CPU, % of a core)", ""))
for streams in [1_200, 2_400, 6_000] {
    for connected in [false, true] {
        guard let floor = UDPFloorBenchmark.run(streams: streams, connected: connected, seconds: 6) else {
            rows.append(("  \(streams) streams: could not open the sockets", ""))
            continue
        }
        let how = connected ? "send on a connected socket" : "sendto, as pjmedia does"
        rows.append(("  \(streams) streams, \(how) (CPU; received)", String(
            format: "%.1f %%; %.2f %%", floor.senderCPU, floor.sent == 0 ? 0 : Double(floor.received) / Double(floor.sent) * 100)))
        json["udp_floor_\(streams)_\(connected ? "connected" : "sendto")_cpu_percent"] = floor.senderCPU
    }
}

let width = rows.map(\.0.count).max() ?? 0
print("Throughline engine benchmarks (\(ProcessInfo.processInfo.activeProcessorCount) cores, release build)")
print(String(repeating: "-", count: width + 22))
for (name, value) in rows { print(name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value) }
let data = try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys])
try data.write(to: outFolder.appendingPathComponent("engine.json"))
print("written: var/bench/engine.json")
