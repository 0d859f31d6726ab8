import Foundation
import Testing

extension EndToEnd {
    /// Skills-based queues over real SIP: SIPp callers and SIPp agents (and a registering
    /// pjsua phone) on loopback; assertions on what the agents' phones received, the call
    /// records and the agent and queue API.
    @Suite("Skills-based queues and agents")
    struct QueueTests {
        typealias Agent = TestPlan.QueueAgent

        /// The last `count` finished calls' records, oldest first, once that many have ended.
        static func records(_ controller: ControllerProcess, count: Int) throws -> [[String: Any]] {
            let deadline = Date().addingTimeInterval(15)
            while controller.lines(event: "call.ended").count < count && Date() < deadline { usleep(20_000) }
            let response = try Curl.request("GET", "http://\(try controller.httpAddress)/api/records?limit=\(count)", token: try controller.adminToken)
            return ((response.json?["records"] as? [[String: Any]]) ?? []).reversed()
        }

        static func steps(_ record: [String: Any]) -> [String] {
            (record["path"] as? [[String: Any]])?.compactMap { $0["step"] as? String } ?? []
        }

        /// The wait in a queue outcome such as "queue q: answered by ann after 3.2s".
        static func wait(in outcome: String) -> Double? {
            guard let range = outcome.range(of: "after ") else { return nil }
            return Double(outcome[range.upperBound...].dropLast())
        }

        static func agent(_ controller: ControllerProcess, _ name: String, token: String? = nil) throws -> Curl.Response {
            try Curl.request("GET", "http://\(try controller.httpAddress)/api/agents/\(name)", token: try token ?? controller.adminToken)
        }

        static func dialled(_ controller: ControllerProcess, member: String) -> Int {
            controller.lines(event: "leg.dialled").filter { ControllerProcess.field("member", in: $0) == member }.count
        }

        /// `throughline report --by queue --format csv` as group → column → value, once `until`
        /// holds (the record is written off the call path; at most 5 s).
        static func report(_ controller: ControllerProcess, until: ([String: [String: String]]) -> Bool) throws -> [String: [String: String]] {
            var table: [String: [String: String]] = [:]
            let deadline = Date().addingTimeInterval(5)
            repeat {
                let out = try ReferenceTests.cli(["report", "--by", "queue", "--format", "csv", "--from", "2000-01-01", "--data", ReferenceTests.data(controller)]).out
                let lines = out.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
                guard let header = lines.first else { break }
                table = Dictionary(lines.dropFirst().map { ($0[0], Dictionary(zip(header, $0), uniquingKeysWith: { a, _ in a })) }, uniquingKeysWith: { a, _ in a })
                if !until(table) { usleep(100_000) }
            } while !until(table) && Date() < deadline
            return table
        }

        /// After each test: no call and no leg left (the API says so).
        static func expectIdle(_ controller: ControllerProcess) throws { try HuntTests.expectIdle(controller) }

        @Test func aCallerNeedingFrenchReachesTheFrenchSpeakingAgent() throws {
            let ports = try HuntTests.agentPorts(["ann", "bea"])
            let plan = TestPlan.queue(
                agents: [Agent("ann", port: ports["ann"]!, skills: "support=5"), Agent("bea", port: ports["bea"]!, skills: "support=3, french=5")],
                queues: "queue french {\n  require support>=3, french>=4\n}\n", route: "route default -> queue french")
            let controller = try ControllerProcess(name: "queue-french", plan: plan)
            let media = try RTPReceiver()
            defer { media.stop() }
            // ann's phone would answer too: it must never ring.
            let ann = try SIPpRun.agent("uas-agent-answers.xml", port: ports["ann"]!, keys: ["rtpport": String(media.port)], timeLimit: 6)
            let bea = try SIPpRun.agent("uas-agent-answers.xml", port: ports["bea"]!, keys: ["rtpport": String(media.port)])
            let caller = try SIPpRun.start(scenario: "uac-hears-welcome-then-hangs-up.xml", target: try controller.sipPort,
                                           keys: ["rtpport": String(media.port)], pause: 3000)
            let callerRun = caller.wait(), beaRun = bea.wait()
            _ = ann.stop()
            #expect(callerRun.exitStatus == 0, "\(callerRun.report)\n\(controller.log)")
            #expect(beaRun.exitStatus == 0, "bea: \(beaRun.report)\n\(controller.log)")
            let record = try #require(try Self.records(controller, count: 1).first)
            #expect((record["outcome"] as? String)?.hasPrefix("queue french: answered by bea") == true, "\(record)")
            #expect(Self.dialled(controller, member: "ann") == 0, "\(controller.log)")
            try Self.expectIdle(controller)
        }

        @Test func longestIdleSpreadsTwentyCallsEvenly() throws {
            let names = ["ann", "ben", "cat", "dan"]
            let ports = try HuntTests.agentPorts(names)
            let plan = TestPlan.queue(agents: names.map { Agent($0, port: ports[$0]!, skills: "support=3") },
                                      queues: "queue q {\n  require support>=1\n  strategy longest-idle\n  wrap-up 0s\n  ring 5s\n}\n")
            let controller = try ControllerProcess(name: "queue-fair", plan: plan)
            let media = try RTPReceiver()
            defer { media.stop() }
            let agents = try names.map {
                try SIPpRun.agent("uas-agent-answers.xml", port: ports[$0]!, calls: 5, keys: ["rtpport": String(media.port)], timeLimit: 40)
            }
            // One caller every 600 ms, each talking 1.5 s: two or three calls up at a time.
            let callers = try SIPpRun.start(scenario: "uac-hears-welcome-then-hangs-up.xml", target: try controller.sipPort, calls: 20,
                                            keys: ["rtpport": String(media.port)], pause: 1500, extra: ["-r", "5", "-rp", "3000"], timeLimit: 40)
            let run = callers.wait()
            let agentRuns = agents.map { $0.wait() }
            #expect(run.exitStatus == 0, "\(run.report)\n\(controller.log)")
            var counts: [String: Int] = [:]
            for record in try Self.records(controller, count: 20) {
                let outcome = record["outcome"] as? String ?? ""
                for name in names where outcome.hasPrefix("queue q: answered by \(name) ") { counts[name, default: 0] += 1 }
            }
            print("longest-idle, 20 calls over 4 agents: \(counts.sorted { $0.key < $1.key })")
            #expect(counts.values.reduce(0, +) == 20, "\(counts)")
            #expect(counts == ["ann": 5, "ben": 5, "cat": 5, "dan": 5], "\(counts)")
            for (name, agentRun) in zip(names, agentRuns) { #expect(agentRun.exitStatus == 0, "\(name): \(agentRun.report)") }
            try Self.expectIdle(controller)
        }

        @Test func afterTheExpansionTimeALowerSkilledAgentGetsTheCall() throws {
            let ports = try HuntTests.agentPorts(["lo"])
            let plan = TestPlan.queue(agents: [Agent("lo", port: ports["lo"]!, skills: "support=2")],
                                      queues: "queue q {\n  require support>=5\n  expand after 3s require support>=1\n}\n")
            let controller = try ControllerProcess(name: "queue-expand", plan: plan)
            let media = try RTPReceiver()
            defer { media.stop() }
            let lo = try SIPpRun.agent("uas-agent-answers.xml", port: ports["lo"]!, keys: ["rtpport": String(media.port)])
            let caller = try SIPpRun.start(scenario: "uac-hears-welcome-then-hangs-up.xml", target: try controller.sipPort,
                                           keys: ["rtpport": String(media.port)], pause: 6000)
            let callerRun = caller.wait(), loRun = lo.wait()
            #expect(callerRun.exitStatus == 0, "\(callerRun.report)")
            #expect(loRun.exitStatus == 0, "lo: \(loRun.report)\n\(controller.log)")
            let record = try #require(try Self.records(controller, count: 1).first)
            let outcome = record["outcome"] as? String ?? ""
            #expect(outcome.hasPrefix("queue q: answered by lo"), "\(record)")
            let waited = try #require(Self.wait(in: outcome))
            #expect(waited >= 3.0 && waited < 4.5, "lo was offered the call after \(waited) s; the expansion is at 3 s")
            try Self.expectIdle(controller)
        }

        @Test func maxWaitOverflowsToTheBackupQueue() throws {
            let ports = try HuntTests.agentPorts(["bo"])
            let plan = TestPlan.queue(
                agents: [Agent("bo", port: ports["bo"]!, skills: "billing=5")],
                queues: "queue q {\n  require support>=3\n  join-empty yes\n  max-wait 2s -> queue backup\n}\nqueue backup {\n  require billing>=1\n}\n")
            let controller = try ControllerProcess(name: "queue-overflow", plan: plan)
            let media = try RTPReceiver()
            defer { media.stop() }
            let bo = try SIPpRun.agent("uas-agent-answers.xml", port: ports["bo"]!, keys: ["rtpport": String(media.port)])
            let caller = try SIPpRun.start(scenario: "uac-hears-welcome-then-hangs-up.xml", target: try controller.sipPort,
                                           keys: ["rtpport": String(media.port)], pause: 5000)
            let callerRun = caller.wait(), boRun = bo.wait()
            #expect(callerRun.exitStatus == 0, "\(callerRun.report)")
            #expect(boRun.exitStatus == 0, "bo: \(boRun.report)\n\(controller.log)")
            let record = try #require(try Self.records(controller, count: 1).first)
            let steps = Self.steps(record)
            #expect(steps.contains("queue q: overflowed to queue backup after 2.0s"), "\(steps)")
            #expect((record["outcome"] as? String)?.hasPrefix("queue backup: answered by bo") == true, "\(record)")
            // The durable record: offered and overflowed in q, offered and answered in backup.
            let report = try Self.report(controller) { $0["backup"]?["completed_by_caller"] == "1" }
            #expect(report["q"]?["offered"] == "1" && report["q"]?["overflowed"] == "1" && report["q"]?["answered"] == "0", "\(report)")
            #expect(report["q"]?["longest_wait_s"] == "2.0" && report["q"]?["service_level"] == "", "\(report)")
            #expect(report["backup"]?["offered"] == "1" && report["backup"]?["answered"] == "1" && report["backup"]?["answered_within_sl"] == "1", "\(report)")
            try Self.expectIdle(controller)
        }

        @Test func aPausedAgentGetsNothingAndOnlyTheirOwnTokenOrTheAdminsChangesTheirStatus() throws {
            let ports = try HuntTests.agentPorts(["ann", "ben"])
            let plan = TestPlan.queue(agents: [Agent("ann", port: ports["ann"]!, skills: "support=5"), Agent("ben", port: ports["ben"]!, skills: "support=5")],
                                      queues: "queue q {\n  require support>=1\n  wrap-up 0s\n}\n")
            let controller = try ControllerProcess(name: "queue-paused", plan: plan)
            let base = "http://\(try controller.httpAddress)/api/agents"
            let admin = try controller.adminToken
            let annToken = try #require(try Curl.request("GET", "\(base)/ann/token", token: admin).json?["token"] as? String)
            let benToken = try #require(try Curl.request("GET", "\(base)/ben/token", token: admin).json?["token"] as? String)
            #expect(try Curl.request("GET", "\(base)/ann/token", token: annToken).status == 401)  // tokens are the admin's to give
            // ben's token cannot pause ann; bad bodies are refused with a reason.
            #expect(try Curl.request("POST", "\(base)/ann/status", token: benToken, body: #"{"status":"paused"}"#).status == 401)
            #expect(try Curl.request("POST", "\(base)/ann/status", token: annToken, body: "not json").status == 400)
            let unknown = try Curl.request("POST", "\(base)/ann/status", token: annToken, body: #"{"status":"asleep"}"#)
            #expect(unknown.status == 400 && unknown.body.contains("unknown status 'asleep'"), "\(unknown.body)")
            #expect(try Curl.request("POST", "\(base)/zed/status", token: admin, body: #"{"status":"paused"}"#).status == 404)
            let paused = try Curl.request("POST", "\(base)/ann/status", token: annToken, body: #"{"status":"paused","reason":"lunch"}"#)
            #expect(paused.status == 200, "\(paused.body)")
            #expect(paused.json?["status"] as? String == "paused" && paused.json?["reason"] as? String == "lunch", "\(paused.body)")

            let media = try RTPReceiver()
            defer { media.stop() }
            let ann = try SIPpRun.agent("uas-agent-answers.xml", port: ports["ann"]!, keys: ["rtpport": String(media.port)], timeLimit: 8)
            let ben = try SIPpRun.agent("uas-agent-answers.xml", port: ports["ben"]!, calls: 2, keys: ["rtpport": String(media.port)])
            let callers = try SIPpRun.start(scenario: "uac-hears-welcome-then-hangs-up.xml", target: try controller.sipPort, calls: 2,
                                            keys: ["rtpport": String(media.port)], pause: 1000, extra: ["-r", "1", "-rp", "2500"])
            let run = callers.wait(), benRun = ben.wait()
            _ = ann.stop()
            #expect(run.exitStatus == 0, "\(run.report)")
            #expect(benRun.exitStatus == 0, "ben: \(benRun.report)\n\(controller.log)")
            #expect(Self.dialled(controller, member: "ann") == 0, "\(controller.log)")
            let outcomes = try Self.records(controller, count: 2).compactMap { $0["outcome"] as? String }
            #expect(outcomes.count == 2 && outcomes.allSatisfy { $0.hasPrefix("queue q: answered by ben") }, "\(outcomes)")
            // Back to available, by the admin.
            #expect(try Curl.request("POST", "\(base)/ann/status", token: admin, body: #"{"status":"available"}"#).json?["status"] as? String == "available")
            #expect(try Self.agent(controller, "ann", token: annToken).json?["calls_taken"] as? Int == 0)
            try Self.expectIdle(controller)
        }

        @Test func anAgentWhoDoesNotAnswerIsSkippedAndTheNextOneGetsTheCall() throws {
            let ports = try HuntTests.agentPorts(["ann", "ben"])
            let plan = TestPlan.queue(agents: [Agent("ann", port: ports["ann"]!, skills: "support=5"), Agent("ben", port: ports["ben"]!, skills: "support=5")],
                                      queues: "queue q {\n  require support>=1\n  ring 2s\n  no-answer-delay 60s\n}\n")
            let controller = try ControllerProcess(name: "queue-noanswer", plan: plan)
            let media = try RTPReceiver()
            defer { media.stop() }
            let ann = try SIPpRun.agent("uas-agent-never-answers.xml", port: ports["ann"]!)
            let ben = try SIPpRun.agent("uas-agent-answers.xml", port: ports["ben"]!, keys: ["rtpport": String(media.port)])
            let caller = try SIPpRun.start(scenario: "uac-hears-welcome-then-hangs-up.xml", target: try controller.sipPort,
                                           keys: ["rtpport": String(media.port)], pause: 5000)
            try #require(controller.waitForLine(event: "leg.bridged", timeout: 10) != nil, "\(controller.log)")
            // ann is passed over for a minute.
            let annState = try Self.agent(controller, "ann")
            #expect(annState.json?["held_back"] as? Bool == true, "\(annState.body)")
            let callerRun = caller.wait(), annRun = ann.wait(), benRun = ben.wait()
            #expect(callerRun.exitStatus == 0, "\(callerRun.report)")
            #expect(annRun.exitStatus == 0, "ann must get CANCEL: \(annRun.report)\n\(controller.log)")
            #expect(benRun.exitStatus == 0, "ben: \(benRun.report)")
            let record = try #require(try Self.records(controller, count: 1).first)
            let steps = Self.steps(record)
            let order = ["offered to ann", "ann did not answer", "offered to ben", "ben answered"].map { steps.firstIndex(of: $0) }
            #expect(order.allSatisfy { $0 != nil } && order == order.sorted { ($0 ?? 0) < ($1 ?? 0) }, "\(steps)")
            try Self.expectIdle(controller)
        }

        @Test func aWrongPasswordIsRefusedAndTheRightOneLetsTheAgentReceiveCalls() throws {
            let plan = TestPlan.queue(agents: [Agent("carol", login: "carol", secret: "carol-secret-2026", skills: "billing=5")],
                                      queues: "queue q {\n  require billing>=1\n  join-empty yes\n}\n")
            let controller = try ControllerProcess(name: "queue-register", plan: plan)
            let sip = try controller.sipPort
            let wrong = try SIPpRun.run(scenario: "uac-registers-with-a-wrong-password-is-refused.xml", target: sip, service: "carol",
                                        extra: ["-au", "carol", "-ap", "not-her-secret"], timeLimit: 10)
            #expect(wrong.exitStatus == 0, "a wrong password must get 401 then 403: \(wrong.report)\n\(controller.log)")
            #expect(controller.waitForLine(event: "registration.refused", timeout: 5) { $0.contains("reason=\"wrong credentials\"") } != nil)
            // The same exchange with the right secret is not refused (the scenario, expecting 403, fails on the 200).
            let right = try SIPpRun.run(scenario: "uac-registers-with-a-wrong-password-is-refused.xml", target: sip, service: "carol",
                                        extra: ["-au", "carol", "-ap", "carol-secret-2026"], timeLimit: 10)
            #expect(right.exitStatus != 0, "the right password was refused too")
            // carol's softphone registers with the right password and takes a queue call.
            let phone = try PjsuaPhone(register: ("127.0.0.1:\(sip)", "carol", "carol-secret-2026"))
            defer { phone.stop() }
            try #require(controller.waitForLine(event: "agent.registered", timeout: 10) { $0.contains(":\(phone.port)") } != nil, "\(controller.log)")
            let state = try Self.agent(controller, "carol")
            #expect(state.json?["reachable"] as? Bool == true && (state.json?["contact"] as? String)?.contains(":\(phone.port)") == true, "\(state.body)")
            let media = try RTPReceiver()
            defer { media.stop() }
            let caller = try SIPpRun.start(scenario: "uac-hears-welcome-then-hangs-up.xml", target: sip, keys: ["rtpport": String(media.port)], pause: 3000)
            let run = caller.wait()
            #expect(run.exitStatus == 0, "\(run.report)")
            let record = try #require(try Self.records(controller, count: 1).first)
            #expect((record["outcome"] as? String)?.hasPrefix("queue q: answered by carol") == true, "\(record)\n\(controller.log)")
            try Self.expectIdle(controller)
        }

        @Test func aCallerWhoHangsUpWhileWaitingIsRecordedAsAbandonedWithTheWait() throws {
            let plan = TestPlan.queue(agents: [Agent("ann", port: 9, skills: "support=1")],
                                      queues: "queue q {\n  require support>=5\n  join-empty yes\n}\n")
            let controller = try ControllerProcess(name: "queue-abandon", plan: plan)
            let media = try RTPReceiver()
            defer { media.stop() }
            let run = try SIPpRun.run(scenario: "uac-hears-welcome-then-hangs-up.xml", target: try controller.sipPort,
                                      keys: ["rtpport": String(media.port)], pause: 2500)
            #expect(run.exitStatus == 0, "\(run.report)")
            let record = try #require(try Self.records(controller, count: 1).first)
            let outcome = record["outcome"] as? String ?? ""
            #expect(outcome.hasPrefix("queue q: abandoned after"), "\(record)")
            let waited = try #require(Self.wait(in: outcome))
            #expect(waited > 1.5 && waited < 3.0, "recorded wait \(waited) s for a caller who hung up 2.5 s after the answer")
            let queues = try Curl.request("GET", "http://\(try controller.httpAddress)/api/queues", token: try controller.adminToken)
            let q = (queues.json?["queues"] as? [[String: Any]])?.first { $0["queue"] as? String == "q" }
            #expect(q?["abandoned"] as? Int == 1 && q?["waiting"] as? Int == 0, "\(queues.body)")
            #expect(abs((q?["average_abandon_s"] as? Double ?? 0) - waited) < 0.11, "\(queues.body)")
            // Within the default short-abandon (5 s): a short abandon, out of the abandon rate.
            let report = try Self.report(controller) { $0["q"] != nil }
            #expect(report["q"]?["offered"] == "1" && report["q"]?["short_abandoned"] == "1" && report["q"]?["abandoned"] == "0"
                    && report["q"]?["abandon_rate"] == "", "\(report)")
            try Self.expectIdle(controller)
        }

        /// The controller times each agent INVITE from the event that caused it: caller 1's key
        /// 1 (ann idle) is a `key` INVITE; caller 2 keys while ann talks, and ann's own hang-up
        /// sends the `agent_free` INVITE. `GET /api/metrics` counts exactly those two.
        @Test func invitesAreTimedFromTheKeyAndFromTheAgentComingFree() throws {
            let ports = try HuntTests.agentPorts(["ann"])
            let plan = TestPlan.queue(agents: [Agent("ann", port: ports["ann"]!, skills: "support=1")],
                                      queues: "queue q {\n  require support>=1\n  wrap-up 0s\n}\n",
                                      route: "route default -> menu main\nmenu main {\n  greeting \"welcome\"\n  option 1 -> queue q\n}")
            let controller = try ControllerProcess(name: "queue-invite-metrics", plan: plan)
            let media = try RTPReceiver()
            defer { media.stop() }
            // ann talks 400 ms per call; the callers arrive 100 ms apart and key 1 after 500 ms,
            // so caller 2 waits while ann talks to caller 1, and ann's BYE frees her for caller 2
            // (and hangs up caller 1).
            let ann = try SIPpRun.agent("uas-agent-answers-then-hangs-up.xml", port: ports["ann"]!, calls: 2,
                                        keys: ["rtpport": String(media.port), "controller": "127.0.0.1:\(try controller.sipPort)"], pause: 400)
            let callers = try SIPpRun.run(scenario: "uac-keys-1-by-info-is-hung-up.xml", target: try controller.sipPort, calls: 2,
                                          keys: ["rtpport": String(media.port)], pause: 500, extra: ["-r", "10"])
            let annRun = ann.wait()
            #expect(callers.exitStatus == 0, "\(callers.report)\n\(controller.log)")
            #expect(annRun.exitStatus == 0, "ann: \(annRun.report)\n\(controller.log)")
            let metrics = try Curl.request("GET", "http://\(try controller.httpAddress)/api/metrics", token: try controller.adminToken)
            let latency = try #require(metrics.json?["invite_latency_us"] as? [String: [String: Any]], "\(metrics.body)")
            #expect(latency["key"]?["count"] as? Int == 1, "\(metrics.body)")
            #expect(latency["agent_free"]?["count"] as? Int == 1, "\(metrics.body)")
            #expect(Set(latency.keys) == ["key", "agent_free"], "\(metrics.body)")
            for (trigger, figures) in latency {
                let p50 = figures["p50"] as? Double ?? 0, p99 = figures["p99"] as? Double ?? 0
                #expect(p50 > 0 && p99 >= p50, "\(trigger): \(figures)")
            }
            #expect(try Curl.request("GET", "http://\(try controller.httpAddress)/api/metrics").status == 401)
            try Self.expectIdle(controller)
        }

        @Test func anAgentPausesFromTheirPhoneWithAFeatureCodeAndOtherPhonesAreRefused() throws {
            let ports = try HuntTests.agentPorts(["ann"])
            let plan = TestPlan.queue(agents: [Agent("ann", port: ports["ann"]!, skills: "support=5")], queues: "queue q {\n  require support>=1\n}\n")
            let controller = try ControllerProcess(name: "queue-feature", plan: plan)
            let media = try RTPReceiver()
            defer { media.stop() }
            // ann's phone (its port is her contact) dials *22: a confirmation, goodbye, BYE.
            let run = try SIPpRun.run(scenario: "uac-stays-until-hung-up.xml", target: try controller.sipPort, service: "*22",
                                      keys: ["rtpport": String(media.port)], extra: ["-p", String(ports["ann"]!)], timeLimit: 15)
            #expect(run.exitStatus == 0, "\(run.report)\n\(controller.log)")
            let ann = try Self.agent(controller, "ann")
            #expect(ann.json?["status"] as? String == "paused" && ann.json?["reason"] as? String == "phone", "\(ann.body)")
            #expect(controller.lines(event: "prompt.started").contains { $0.contains("prompt=agent-paused+goodbye") }, "\(controller.log)")
            // Any other phone dialling *21 is refused.
            _ = try SIPpRun.run(scenario: "uac-stays-until-hung-up.xml", target: try controller.sipPort, service: "*21",
                                keys: ["rtpport": String(media.port)], timeLimit: 5)
            #expect(controller.waitForLine(event: "call.refused", timeout: 5) { $0.contains("code=403") } != nil, "\(controller.log)")
            #expect(try Self.agent(controller, "ann").json?["status"] as? String == "paused")
            try Self.expectIdle(controller)
        }

        /// A crash (SIGKILL) loses neither what agents chose nor where their phones are: after
        /// a restart on the same data folder ann is still paused for lunch, and carol's phone,
        /// registered from 127.0.0.2 for 300 s, is reachable without registering again.
        @Test func anAgentsPauseAndAPhonesRegistrationSurviveACrash() throws {
            let plan = TestPlan.queue(agents: [Agent("ann", port: 9, skills: "support=1"),
                                               Agent("carol", login: "carol", secret: "carol-secret-2026", skills: "support=1")],
                                      queues: "queue q {\n  require support>=1\n  join-empty yes\n}\n")
            let first = try ControllerProcess(name: "queue-agents-crash", plan: plan)
            let registered = try SIPpRun.run(scenario: "uac-registers-with-the-right-password.xml", target: try first.sipPort, service: "carol",
                                             extra: ["-i", "127.0.0.2", "-au", "carol", "-ap", "carol-secret-2026"], timeLimit: 10)
            #expect(registered.exitStatus == 0, "\(registered.report)\n\(first.log)")
            let paused = try Curl.request("POST", "http://\(try first.httpAddress)/api/agents/ann/status", token: try first.adminToken,
                                          body: #"{"status": "paused", "reason": "lunch"}"#)
            #expect(paused.status == 200, "\(paused.body)")
            #expect(first.stop(signal: SIGKILL) != nil)

            let second = try ControllerProcess(name: "queue-agents-crash-2", plan: plan, reusing: first.dataFolder)
            let restored = try #require(second.waitForLine(event: "agents.restored", timeout: 5), "\(second.log)")
            #expect(restored.contains("registrations=1"), "\(restored)")
            let ann = try Self.agent(second, "ann").json
            #expect(ann?["status"] as? String == "paused" && ann?["reason"] as? String == "lunch", "\(String(describing: ann))")
            let carol = try Self.agent(second, "carol").json
            #expect(carol?["reachable"] as? Bool == true && (carol?["contact"] as? String)?.contains("@127.0.0.2:") == true,
                    "\(String(describing: carol))")
            try Self.expectIdle(second)
        }
    }
}
