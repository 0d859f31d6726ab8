import Foundation
import Testing
import TestSupport

extension EndToEnd {
    /// `make bench` only (THROUGHLINE_BENCH=1): calls per second through Kamailio to two
    /// release nodes on one PostgreSQL store, the shape docs/cluster.md describes. SIPp dials
    /// the proxy at each rate for 5 s, each call up 1 s hearing the queue's hold music; the
    /// table gives INVITE-to-200 percentiles as the caller sees them (through the proxy) and how
    /// the calls split between the nodes, and stops at the first rate with a failed call.
    /// Bounded: at most 8 rates of 5 s. Then key → agent INVITE with caller and agent on
    /// different nodes (100 calls in turn). Asserts nothing about speed: the figures are the output.
    @Suite("Benchmark: cluster", .enabled(if: ProcessInfo.processInfo.environment["THROUGHLINE_BENCH"] == "1"), .serialized)
    struct ClusterBenchmark {
        @Test func callsPerSecondThroughKamailioToTwoNodes() throws {
            let rates = ProcessInfo.processInfo.environment["THROUGHLINE_BENCH_CLUSTER_RATES"].map { $0.split(separator: ",").compactMap { Int($0) } }
                ?? [50, 100, 200, 300, 400, 600, 800, 1000]
            let most = rates.max() ?? 100
            var rows: [(String, String)] = []
            var json: [String: Any] = [:]
            var rateOK = 0
            for rate in rates {
                // A fresh cluster each rate: one rate's calls do not linger into the next.
                // THROUGHLINE_BENCH_CLUSTER_STORE=sqlite: each node on its own SQLite file, to
                // tell what the shared store costs from what the proxy does.
                let sqlite = ProcessInfo.processInfo.environment["THROUGHLINE_BENCH_CLUSTER_STORE"] == "sqlite"
                let store = sqlite ? [] : ["--store", try PostgreSQLServer.shared().createDatabase()]
                let nodes = try ["a", "b"].map {
                    try ControllerProcess(name: "bench-cluster-\($0)-\(rate)", plan: LoadBenchmark.plan, extraArguments: store,
                                          rtpPorts: 2 * most + 64, keeping: { $0.contains("event=sip.listening") || $0.contains("event=http.listening") || $0.contains("event=call.arrived") })
                }
                let proxy = try KamailioProxy(nodes: try nodes.map { try $0.sipPort })
                let (sinks, csv) = try LoadBenchmark.sinks(4)
                defer { sinks.forEach { $0.stop() }; try? FileManager.default.removeItem(at: csv) }
                let calls = rate * 5
                let run = try SIPpRun.run(scenario: "uac-listens-on-its-csv-port-then-hangs-up.xml", target: proxy.port, calls: calls,
                                          pause: 1000, extra: ["-inf", csv.path, "-l", String(rate * 2), "-r", String(rate),
                                                               "-trace_rtt", "-rtt_freq", "1", "-timer_resol", "1"], timeLimit: 40, keepFolder: true)
                let split = nodes.map { $0.lines(event: "call.arrived").count }
                nodes.forEach { _ = $0.stop() }
                proxy.stop()
                let times = LoadBenchmark.responseTimes(run.folder).sorted()
                try? FileManager.default.removeItem(at: run.folder)
                let failed = run.exitStatus != 0 || times.count < calls
                rows.append(("\(rate) calls/s: INVITE-200 p50 / p95 / p99", String(format: "%.1f / %.1f / %.1f ms (%d calls: %d on A, %d on B)%@",
                             LoadBenchmark.percentile(times, 0.5), LoadBenchmark.percentile(times, 0.95), LoadBenchmark.percentile(times, 0.99),
                             times.count, split[0], split[1], failed ? ", FAILED CALLS" : "")))
                json["cps_\(rate)"] = ["p50_ms": LoadBenchmark.percentile(times, 0.5), "p95_ms": LoadBenchmark.percentile(times, 0.95),
                                       "p99_ms": LoadBenchmark.percentile(times, 0.99), "calls": times.count, "node_a": split[0], "node_b": split[1], "failed": failed]
                guard !failed else { break }
                rateOK = rate
            }
            rows.append(("highest rate with no failed call (calls/s)", String(rateOK)))
            json["cps_max"] = rateOK
            try LoadBenchmark.printTable("Throughline cluster (\(ProcessInfo.processInfo.activeProcessorCount) cores, Kamailio → two release nodes on PostgreSQL, SIPp on loopback)",
                                         rows: rows, json: json, file: "cluster.json")
        }

        /// From a caller's key on node A (an INFO choosing the queue) to the INVITE at carol's
        /// phone, which registered through node B: node A learns her contact from the shared
        /// store and rings her itself. 100 calls in turn, on the phones' clock (SIPp's message
        /// traces) and in node A's controller time (`GET /api/metrics`).
        @Test func keyToAgentInviteWithTheAgentRegisteredOnTheOtherNode() throws {
            let calls = Int(ProcessInfo.processInfo.environment["THROUGHLINE_BENCH_CALLS"] ?? "") ?? 100
            let secret = "carol-secret-2026"
            let plan = TestPlan.queue(agents: [.init("carol", login: "carol", secret: secret, skills: "support=1")],
                                      queues: "queue q {\n  require support>=1\n  wrap-up 0s\n}\n",
                                      route: "route default -> menu main\nmenu main {\n  greeting \"welcome\"\n  option 1 -> queue q\n}",
                                      settings: "  repeat-caller-window 0s\n")
            let url = try PostgreSQLServer.shared().createDatabase()
            let nodeA = try ControllerProcess(name: "bench-cross-a", plan: plan, extraArguments: ["--store", url], rtpPorts: 2 * calls + 16)
            let nodeB = try ControllerProcess(name: "bench-cross-b", plan: plan, extraArguments: ["--store", url])
            let agentPort = try FreePorts.udpBlock(count: 1)
            let registered = try SIPpRun.run(scenario: "uac-registers-with-the-right-password.xml", target: try nodeB.sipPort, service: "carol",
                                             extra: ["-p", String(agentPort), "-au", "carol", "-ap", secret], timeLimit: 10)
            try #require(registered.exitStatus == 0, "\(registered.report)")
            let deadline = Date().addingTimeInterval(8)
            func reachable() throws -> Bool { (try QueueTests.agent(nodeA, "carol").json?["contact"] as? String)?.contains(":\(agentPort)") == true }
            while Date() < deadline, !(try reachable()) { usleep(100_000) }
            try #require(try reachable(), "node A never learnt carol's contact from the store\n\(nodeA.log)")

            try LatencyBenchmark.keyToInvite(nodeA, agentPort: agentPort, calls: calls, what: "cross-node agent (registered on node B)",
                                             file: "cluster-key-to-invite")
        }
    }
}
