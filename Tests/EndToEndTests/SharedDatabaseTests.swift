import Foundation
import Store
import Testing
import TestSupport

extension EndToEnd {
    /// Two controllers on one PostgreSQL store (`--store postgresql://…`), on a server this
    /// test process starts on a free loopback port: what several nodes of one contact centre
    /// share. No Kamailio here: each caller dials a node directly.
    @Suite("Nodes sharing one PostgreSQL store")
    struct SharedDatabaseTests {
        typealias Agent = TestPlan.QueueAgent

        /// A reference issued by a call on node A is keyed by a caller on node B, who reaches
        /// the department that owns it; `throughline ref show --store` reads one journey with
        /// both calls, whichever node wrote them.
        @Test func aReferenceIssuedOnOneNodeIsKeyedOnAnotherAndReachesItsDepartment() throws {
            let url = try PostgreSQLServer.shared().createDatabase()
            let ports = try HuntTests.agentPorts(["bo"])
            let plan = ReferenceTests.keyedReferencePlan(boPort: ports["bo"]!)
            let nodeA = try ControllerProcess(name: "pg-node-a", plan: plan, extraArguments: ["--store", url])
            let nodeB = try ControllerProcess(name: "pg-node-b", plan: plan, extraArguments: ["--store", url])
            for node in [nodeA, nodeB] {
                let started = try #require(node.waitForLine(event: "controller.started", timeout: 5))
                #expect(started.contains("store=\(url)"), "\(started)")
            }
            let sink = try RTPReceiver()
            defer { sink.stop() }

            // On node A: billing takes the call and owns its reference from then on.
            let boOnA = try SIPpRun.agent("uas-agent-answers-then-hangs-up.xml", port: ports["bo"]!,
                                          keys: ["rtpport": String(sink.port), "controller": "127.0.0.1:\(try nodeA.sipPort)"], pause: 1000)
            let first = try SIPpRun.run(scenario: "uac-stays-until-hung-up.xml", target: try nodeA.sipPort, service: "5553000",
                                        keys: ["rtpport": String(sink.port)])
            #expect(first.exitStatus == 0 && boOnA.wait().exitStatus == 0, "\(first.report)\n\(nodeA.log)")
            let reference = try #require(ReferenceTests.references(nodeA).first, "\(nodeA.log)")

            // On node B: key 9, then the reference; B finds it in the shared store and sends
            // the caller to billing.
            let boOnB = try SIPpRun.agent("uas-agent-answers-then-hangs-up.xml", port: ports["bo"]!,
                                          keys: ["rtpport": String(sink.port), "controller": "127.0.0.1:\(try nodeB.sipPort)"], pause: 1000)
            let rtp = try RTPReceiver()
            defer { rtp.stop() }
            let second = try SIPpRun.start(scenario: "uac-stays-until-hung-up.xml", target: try nodeB.sipPort,
                                           keys: ["rtpport": String(rtp.port)], timeLimit: 60)
            try #require(rtp.wait(timeout: 10) { !$0.isEmpty }, "no RTP reached the caller on node B")
            for key in "9" {
                _ = try rtp.pressKey(key)
            }
            try #require(nodeB.waitForLine(event: "prompt.started", timeout: 5) { $0.contains("prompt=enter-reference") } != nil, "\(nodeB.log)")
            Thread.sleep(forTimeInterval: 0.3)
            for key in reference.filter(\.isNumber) + "#" {
                _ = try rtp.pressKey(key)
                Thread.sleep(forTimeInterval: 0.15)
            }
            let keyed = try #require(nodeB.waitForLine(event: "reference.keyed", timeout: 5), "\(nodeB.log)")
            #expect(keyed.contains("found=yes") && keyed.contains("department=billing") && keyed.contains("reference=\(reference)"), "\(keyed)")
            let run = second.wait(), boRun = boOnB.wait()
            #expect(run.exitStatus == 0, "\(run.report)\n\(nodeB.log)")
            #expect(boRun.exitStatus == 0, "\(boRun.report)")
            #expect(ReferenceTests.headerReferences(boRun) == [reference], "bo's INVITE from node B: \(boRun.logs)")
            _ = nodeB.waitForLine(event: "call.ended", timeout: 10)

            // Any department, on any machine, reads the one journey from the shared store.
            let shown = try ReferenceTests.cli(["ref", "show", reference, "--store", url])
            #expect(shown.status == 0, "\(shown.err)")
            for expected in ["reference \(reference)  open", "department  billing", "last agent  bo", "attached", "keyed it"] {
                #expect(shown.out.contains(expected), "'\(expected)' missing from:\n\(shown.out)")
            }
            let ended = shown.out.split(separator: "\n").filter { $0.contains("ended      queue billing: answered by bo") }
            #expect(ended.count == 2, "\(shown.out)")
            // Each node's call on its line: A's first, B's second.
            #expect(shown.out.range(of: "from 5551234 to 5553000")!.lowerBound < shown.out.range(of: "call from 5551234 keyed it")!.lowerBound)
            // Neither node's data folder holds a SQLite store: everything went to PostgreSQL.
            for node in [nodeA, nodeB] {
                #expect(!FileManager.default.fileExists(atPath: ReferenceTests.data(node) + "/throughline.sqlite"))
            }
            try HuntTests.expectIdle(nodeA)
            try HuntTests.expectIdle(nodeB)

            // Node A stops while B still serves the agents: their available time goes on.
            // Only the last node to stop ends it (occupancy's base).
            let stopped = "SELECT count(*) FROM agent_status_change WHERE status = 'stopped'"
            #expect(nodeA.stop() == 0)
            #expect(nodeA.lines(event: "agents.stop-not-logged").count == 1, "\(nodeA.log)")
            #expect(try PostgresDatabase(url: url).query(stopped) == [[.integer(0)]])
            #expect(nodeB.stop() == 0)
            #expect(try PostgresDatabase(url: url).query(stopped) == [[.integer(1)]], "bo's available time ends once, with the last node")
        }

        /// The PostgreSQL server goes away while the controller runs: a caller is still
        /// answered, hears the welcome and is served, and the reference that could not be
        /// issued is a `reference.failed` line (refused with its reason, not queued); when the
        /// server is back the next caller gets a reference without a restart, and what was
        /// written before the loss is all there.
        @Test func callsAreAnsweredWhileTheStoreIsLostAndReferencesResumeWhenItReturns() throws {
            let server = try PostgreSQLServer.start()
            defer { try? server.stop() }
            let url = try server.createDatabase()
            let controller = try ControllerProcess(name: "pg-lost", extraArguments: ["--store", url])
            func call() throws -> SIPpRun {
                let rtp = try RTPReceiver()
                defer { rtp.stop() }
                let run = try SIPpRun.run(scenario: "uac-hears-welcome-then-hangs-up.xml", target: try controller.sipPort,
                                          keys: ["rtpport": String(rtp.port)], pause: 1500)
                #expect(rtp.packets.count > 25, "\(rtp.packets.count) RTP packets reached the caller\n\(controller.log)")
                return run
            }
            #expect(try call().exitStatus == 0, "\(controller.log)")
            let before = try #require(ReferenceTests.references(controller).first, "\(controller.log)")

            try server.stop()
            for n in 1...2 {
                let run = try call()
                #expect(run.exitStatus == 0, "call \(n) while the store is lost: \(run.report)\n\(controller.log)")
            }
            #expect(ReferenceTests.references(controller) == [before], "\(controller.log)")
            let failed = controller.lines(event: "reference.failed")
            #expect(failed.count == 2 && failed.allSatisfy { $0.contains("why=\"the call goes on without a reference\"") }, "\(failed)")

            try server.resume()
            // A connection that failed to open again is not tried for a second (the hand-off
            // watch's once-a-second look may just have tried it while the server started).
            Thread.sleep(forTimeInterval: 1.2)
            #expect(try call().exitStatus == 0, "\(controller.log)")
            let references = ReferenceTests.references(controller)
            #expect(references.count == 2 && references.first == before, "\(controller.log)")
            for reference in references {
                let shown = try ReferenceTests.cli(["ref", "show", reference, "--store", url])
                #expect(shown.status == 0 && shown.out.contains("reference \(reference)  open"), "\(shown.out)\(shown.err)")
            }
        }

        /// An agent paused through node A is paused on node B within a few seconds, and back
        /// again the other way; a phone registered through node B is reachable from node A at
        /// its contact. No restart: each node reads the others' changes from the store.
        @Test func anAgentsStatusAndRegistrationSetOnOneNodeHoldOnTheOther() throws {
            let url = try PostgreSQLServer.shared().createDatabase()
            let ports = try HuntTests.agentPorts(["ann"])
            let plan = TestPlan.queue(agents: [Agent("ann", port: ports["ann"]!, skills: "support=5"),
                                               Agent("carol", login: "carol", secret: "carol-secret-2026", skills: "support=1")],
                                      queues: "queue q {\n  require support>=1\n  join-empty yes\n}\n")
            let nodeA = try ControllerProcess(name: "pg-agents-a", plan: plan, extraArguments: ["--store", url])
            let nodeB = try ControllerProcess(name: "pg-agents-b", plan: plan, extraArguments: ["--store", url])
            // Both have read the store at start (after that, only the watch brings changes).
            for node in [nodeA, nodeB] { try #require(node.waitForLine(event: "agents.restored", timeout: 5) != nil, "\(node.log)") }
            func eventually(_ what: String, _ condition: () throws -> Bool) throws {
                let deadline = Date().addingTimeInterval(8)
                while Date() < deadline {
                    if try condition() { return }
                    usleep(100_000)
                }
                Issue.record("not within 8 s: \(what)\n--- node A\n\(nodeA.log)\n--- node B\n\(nodeB.log)")
            }

            let paused = try Curl.request("POST", "http://\(try nodeA.httpAddress)/api/agents/ann/status", token: try nodeA.adminToken,
                                          body: #"{"status": "paused", "reason": "lunch"}"#)
            #expect(paused.status == 200, "\(paused.body)")
            try eventually("ann paused on node B") {
                let ann = try QueueTests.agent(nodeB, "ann").json
                return ann?["status"] as? String == "paused" && ann?["reason"] as? String == "lunch"
            }
            #expect(nodeB.lines(event: "agent.status").contains { $0.contains("agent=ann") && $0.contains("by=another-node") }, "\(nodeB.log)")

            let registered = try SIPpRun.run(scenario: "uac-registers-with-the-right-password.xml", target: try nodeB.sipPort, service: "carol",
                                             extra: ["-i", "127.0.0.2", "-au", "carol", "-ap", "carol-secret-2026"], timeLimit: 10)
            #expect(registered.exitStatus == 0, "\(registered.report)\n\(nodeB.log)")
            try eventually("carol reachable from node A") {
                let carol = try QueueTests.agent(nodeA, "carol").json
                return carol?["reachable"] as? Bool == true && (carol?["contact"] as? String)?.contains("@127.0.0.2:") == true
            }

            let back = try Curl.request("POST", "http://\(try nodeB.httpAddress)/api/agents/ann/status", token: try nodeB.adminToken,
                                        body: #"{"status": "available"}"#)
            #expect(back.status == 200, "\(back.body)")
            try eventually("ann available on node A") { try QueueTests.agent(nodeA, "ann").json?["status"] as? String == "available" }
            // Each change is applied once, not at every read of the store.
            Thread.sleep(forTimeInterval: 4.5)
            #expect(nodeA.lines(event: "agent.registered").filter { $0.contains("carol") }.count == 1, "\(nodeA.lines(event: "agent.registered"))")
            #expect(nodeB.lines(event: "agent.status").filter { $0.contains("agent=ann") && $0.contains("by=another-node") }.count == 1,
                    "\(nodeB.lines(event: "agent.status"))")
            #expect(nodeA.lines(event: "agent.status").filter { $0.contains("agent=ann") && $0.contains("by=another-node") }.count == 1,
                    "\(nodeA.lines(event: "agent.status"))")
            try HuntTests.expectIdle(nodeA)
            try HuntTests.expectIdle(nodeB)
        }

        /// ann talks to a caller on node A; a caller on node B in the same queue is not offered
        /// to her meanwhile (B reads that A has her). When A is killed (its caller is lost), B
        /// offers her its caller within 10 s of the kill, once A's engagements are no longer
        /// live, and she answers.
        @Test func anAgentTalkingOnOneNodeIsNotOfferedByAnotherUntilThatNodeDies() throws {
            let url = try PostgreSQLServer.shared().createDatabase()
            let ports = try HuntTests.agentPorts(["ann"])
            let plan = TestPlan.queue(agents: [Agent("ann", port: ports["ann"]!, skills: "support=5")],
                                      queues: "queue q {\n  require support>=1\n  join-empty yes\n}\n")
            let nodeA = try ControllerProcess(name: "pg-engaged-a", plan: plan, extraArguments: ["--store", url])
            let nodeB = try ControllerProcess(name: "pg-engaged-b", plan: plan, extraArguments: ["--store", url])
            let sink = try RTPReceiver(), first = try RTPReceiver(), second = try RTPReceiver()
            defer { sink.stop(); first.stop(); second.stop() }
            let ann = try SIPpRun.agent("uas-agent-answers.xml", port: ports["ann"]!, calls: 2, keys: ["rtpport": String(sink.port)], pause: 200, timeLimit: 45)
            defer { _ = ann.stop() }
            let lost = try SIPpRun.start(scenario: "uac-hears-welcome-then-hangs-up.xml", target: try nodeA.sipPort,
                                         keys: ["rtpport": String(first.port)], pause: 30000, timeLimit: 40)
            defer { _ = lost.stop() }
            try #require(nodeA.waitForLine(event: "leg.bridged", timeout: 10) != nil, "\(nodeA.log)")
            try #require(nodeB.waitForLine(event: "agent.engaged-elsewhere", timeout: 5) { $0.contains("agent=ann") && $0.contains("engaged=yes") } != nil,
                         "node B never read that node A has ann\n\(nodeB.log)")
            let annOnB = try QueueTests.agent(nodeB, "ann").json
            #expect(annOnB?["engaged_elsewhere"] as? Bool == true && annOnB?["state"] as? String == "idle", "\(String(describing: annOnB))")

            let waiting = try SIPpRun.start(scenario: "uac-hears-welcome-then-hangs-up.xml", target: try nodeB.sipPort,
                                            keys: ["rtpport": String(second.port)], pause: 18000, timeLimit: 40)
            try #require(nodeB.waitForLine(event: "call.arrived", timeout: 5) != nil)
            Thread.sleep(forTimeInterval: 2.5)  // longer than a read of the store: B has had every chance to offer her
            #expect(QueueTests.dialled(nodeB, member: "ann") == 0, "node B offered ann while she talks on node A\n\(nodeB.log)")

            #expect(nodeA.stop(signal: SIGKILL) == nil || !nodeA.process.isRunning)
            let killed = Date()
            let offered = nodeB.waitForLine(event: "leg.dialled", timeout: 14) { ControllerProcess.field("member", in: $0) == "ann" }
            let seconds = Date().timeIntervalSince(killed)
            try #require(offered != nil, "node B never offered ann after node A died\n\(nodeB.log)")
            print("cluster: node killed → its agent offered by the other node after \(String(format: "%.1f", seconds)) s")
            #expect(seconds < 10)
            #expect(nodeB.lines(event: "agent.engaged-elsewhere").contains { $0.contains("agent=ann") && $0.contains("engaged=no") }, "\(nodeB.log)")
            let run = waiting.wait()
            #expect(run.exitStatus == 0, "\(run.report)")
            let record = try #require(try QueueTests.records(nodeB, count: 1).first)
            #expect((record["outcome"] as? String)?.hasPrefix("queue q: answered by ann") == true, "\(record)\n\(nodeB.log)")
            try HuntTests.expectIdle(nodeB)
        }

        /// A pending call back whose node is no longer live (its last beat a minute old, as
        /// after a kill -9) is taken over by a running node within a read of the store, listed by
        /// its API and placed from then on by it alone; a node started later leaves it there.
        @Test func aDeadNodesPendingCallbackIsTakenOverByALiveNode() throws {
            let url = try PostgreSQLServer.shared().createDatabase()
            // Nobody can take queue q's calls: the call back waits in its place.
            let plan = TestPlan.queue(agents: [Agent("ann", port: 9, skills: "support=1")],
                                      queues: "queue q {\n  require support>=5\n  join-empty yes\n}\n")
            let nodeA = try ControllerProcess(name: "pg-adopt-a", plan: plan, extraArguments: ["--store", url])
            // Node A has restored its call backs (a start takes over a dead node's as well):
            // from now on only its reads of the store take one over.
            try #require(nodeA.waitForLine(event: "callbacks.restored", timeout: 5) != nil, "\(nodeA.log)")
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            let database = try PostgresDatabase(url: url)
            _ = try database.query("INSERT INTO node (name, plan_hash, seen_at) VALUES ('10.0.0.9:5060', 'gone', ?)", [.integer(now - 60_000)])
            _ = try database.query(
                """
                INSERT INTO callback (id, number, queue, priority, presented, joined_at, requested_at, attempts, status, node)
                VALUES (7, '5557777', 'q', 0, '5551000', ?, ?, 0, 'pending', '10.0.0.9:5060')
                """, [.integer(now - 30_000), .integer(now - 29_000)])
            let adopted = try #require(nodeA.waitForLine(event: "callbacks.adopted", timeout: 5), "\(nodeA.log)")
            #expect(ControllerProcess.field("ids", in: adopted) == "7", "\(adopted)")
            #expect(try database.query("SELECT node FROM callback WHERE id = 7") == [[.text("127.0.0.1:\(try nodeA.sipPort)")]])
            let listed = try Curl.request("GET", "http://\(try nodeA.httpAddress)/api/callbacks", token: try nodeA.adminToken)
            let callbacks = listed.json?["callbacks"] as? [[String: Any]] ?? []
            #expect(callbacks.count == 1 && callbacks.first?["number"] as? String == "5557777", "\(listed.body)")

            let nodeB = try ControllerProcess(name: "pg-adopt-b", plan: plan, extraArguments: ["--store", url])
            let restored = try #require(nodeB.waitForLine(event: "callbacks.restored", timeout: 5), "\(nodeB.log)")
            #expect(ControllerProcess.field("pending", in: restored) == "0", "node A places it: \(restored)")
            Thread.sleep(forTimeInterval: 2.5)  // a read of the store: node B takes nothing of a live node's
            #expect(nodeB.lines(event: "callbacks.adopted").isEmpty, "\(nodeB.log)")
        }

        /// A node whose plan differs from the live nodes' is refused before it takes a call
        /// (exit 78, both hashes named); once the node running the other plan has stopped
        /// cleanly (its row gone), the same node starts.
        @Test func aNodeWithAnotherPlanIsRefusedWhileTheClusterRunsItsOwn() throws {
            let url = try PostgreSQLServer.shared().createDatabase()
            let first = try ControllerProcess(name: "pg-plan-a", plan: TestPlan.basic, extraArguments: ["--store", url])
            let clusterHash = try #require(first.waitForLine(event: "controller.started", timeout: 5).flatMap { ControllerProcess.field("plan_hash", in: $0) })
            let refused = try ControllerProcess(name: "pg-plan-b", plan: TestPlan.keyOneHangsUp, extraArguments: ["--store", url], waitForListening: false)
            #expect(refused.waitForExit(timeout: 15) == 78, "\(refused.log)")
            let line = try #require(refused.lines(event: "startup.failed").first, "\(refused.log)")
            let ownHash = try #require(ControllerProcess.field("plan_hash", in: line))
            #expect(ownHash != clusterHash)
            #expect(ControllerProcess.field("cluster_plan_hash", in: line) == clusterHash, "\(line)")
            let firstPort = try first.sipPort
            #expect(line.contains("why=\"the cluster runs another plan\"") && line.contains("the cluster runs plan \(clusterHash) (127.0.0.1:\(firstPort))"), "\(line)")
            #expect(refused.lines(event: "controller.started").isEmpty)

            #expect(first.stop() == 0, "\(first.log)")
            let later = try ControllerProcess(name: "pg-plan-b2", plan: TestPlan.keyOneHangsUp, extraArguments: ["--store", url])
            let started = try #require(later.waitForLine(event: "controller.started", timeout: 5), "\(later.log)")
            #expect(ControllerProcess.field("plan_hash", in: started) == ownHash)
        }

        /// A store that cannot be reached at start: exit 73, naming it (password hidden), and
        /// no SQLite file made instead. A `--store` that is not a PostgreSQL URL is a usage error.
        @Test func anUnreachableStoreStopsTheStartNamingItAndABadURLIsAUsageError() throws {
            let port = try FreePorts.tcpPort()  // nothing listens there
            let controller = try ControllerProcess(name: "pg-unreachable", extraArguments: ["--store", "postgresql://throughline:secret@127.0.0.1:\(port)/none"],
                                                   waitForListening: false)
            let status = controller.waitForExit(timeout: 15)
            #expect(status == 73, "\(controller.log)")
            let failed = try #require(controller.lines(event: "startup.failed").first, "\(controller.log)")
            #expect(failed.contains("postgresql://throughline:***@127.0.0.1:\(port)/none"), "\(failed)")
            #expect(!failed.contains("secret"), "\(failed)")
            #expect(!FileManager.default.fileExists(atPath: ReferenceTests.data(controller) + "/throughline.sqlite"))
            let usage = try ReferenceTests.cli(["ref", "show", "482-103-3712", "--store", "/var/lib/throughline.sqlite"])
            #expect(usage.status == 64 && usage.err.contains("--store takes a PostgreSQL URL"), "\(usage.status) \(usage.err)")
        }
    }
}
