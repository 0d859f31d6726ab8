import Foundation
import Testing
import TestSupport

extension EndToEnd {
    /// Two controllers on one PostgreSQL store behind Debian's Kamailio, configured by
    /// `throughline kamailio-config`: callers and phones use the proxy's address only, as in a
    /// contact centre of several nodes (docs/cluster.md).
    @Suite("Nodes behind Kamailio")
    struct KamailioTests {
        typealias Agent = TestPlan.QueueAgent

        /// Two nodes on a fresh database, and the proxy in front of them.
        static func cluster(_ name: String, plan: String = TestPlan.basic) throws -> (a: ControllerProcess, b: ControllerProcess, proxy: KamailioProxy) {
            let url = try PostgreSQLServer.shared().createDatabase()
            let a = try ControllerProcess(name: "\(name)-a", plan: plan, extraArguments: ["--store", url])
            let b = try ControllerProcess(name: "\(name)-b", plan: plan, extraArguments: ["--store", url])
            return (a, b, try KamailioProxy(nodes: [try a.sipPort, try b.sipPort]))
        }

        /// A caller who dials the proxy, hears the welcome for `ms` and hangs up.
        static func shortCall(_ proxy: KamailioProxy, ms: Int = 200) throws -> SIPpRun {
            let rtp = try RTPReceiver()
            defer { rtp.stop() }
            return try SIPpRun.run(scenario: "uac-hears-welcome-then-hangs-up.xml", target: proxy.port, keys: ["rtpport": String(rtp.port)], pause: ms)
        }

        /// Callers who dial the proxy are spread round-robin over both nodes, hear the welcome
        /// with media straight from the node that took the call (not through the proxy), and hang
        /// up through it: their BYE follows the route the proxy recorded and gets 200. Both nodes
        /// stay active in the proxy's eyes: they answer its OPTIONS probes.
        @Test func callersDialingTheProxyAreSpreadOverBothNodesAndHangUpThroughIt() throws {
            let (a, b, proxy) = try Self.cluster("kam-spread")
            for n in 1...4 {
                let rtp = try RTPReceiver()
                defer { rtp.stop() }
                let run = try SIPpRun.run(scenario: "uac-hears-welcome-then-hangs-up.xml", target: proxy.port,
                                          keys: ["rtpport": String(rtp.port)], pause: 1200)
                #expect(run.exitStatus == 0, "call \(n): \(run.report)\n--- proxy\n\(proxy.log)")
                #expect(rtp.packets.count > 25, "call \(n): \(rtp.packets.count) RTP packets")
                let media = try #require(rtp.remotePort, "call \(n): no RTP")
                #expect(a.rtpPorts.contains(Int(media)) || b.rtpPorts.contains(Int(media)), "call \(n)'s media came from port \(media), not a node's")
            }
            for node in [a, b] {
                #expect(node.waitForLine(event: "call.ended", timeout: 5) != nil)
                let ended = node.lines(event: "call.ended").count
                #expect(ended == 2, "a node took \(ended) of the 4 calls\n\(node.log)")
                try HuntTests.expectIdle(node)
            }
            // The calls took over 5 s: at least two probes each, both answered.
            let nodes = try proxy.nodes(), portA = try a.sipPort, portB = try b.sipPort
            #expect(nodes[portA]?.hasPrefix("A") == true && nodes[portB]?.hasPrefix("A") == true, "\(nodes)\n\(proxy.log)")
        }

        /// carol's softphone registers through the proxy (to one node, which writes the
        /// registration to the shared store); both nodes then know her contact, and a caller
        /// sent to each node by the proxy is answered by her (the second once the first node
        /// has freed her: until then the other node does not offer her).
        @Test func anAgentRegisteredThroughTheProxyIsRungByBothNodes() throws {
            let plan = TestPlan.queue(agents: [Agent("carol", login: "carol", secret: "carol-secret-2026", skills: "support=1")],
                                      queues: "queue q {\n  require support>=1\n  join-empty yes\n  wrap-up 0s\n}\n")
            let (a, b, proxy) = try Self.cluster("kam-agent", plan: plan)
            let phone = try PjsuaPhone(register: ("127.0.0.1:\(proxy.port)", "carol", "carol-secret-2026"))
            defer { phone.stop() }
            let deadline = Date().addingTimeInterval(10)
            func reachable(_ node: ControllerProcess) throws -> Bool {
                let carol = try QueueTests.agent(node, "carol").json
                return carol?["reachable"] as? Bool == true && (carol?["contact"] as? String)?.contains(":\(phone.port)") == true
            }
            while Date() < deadline, !(try reachable(a) && reachable(b)) { usleep(200_000) }
            try #require(try reachable(a) && reachable(b), "carol is not reachable from both nodes\n--- phone\n\(phone.logTail())\n--- proxy\n\(proxy.log)")
            let registeredOn = [a, b].filter { !$0.lines(event: "agent.registered").isEmpty }.count
            #expect(registeredOn == 2, "each node logs carol's registration: the one that took it and the one that read it")

            for n in 1...2 {
                let media = try RTPReceiver()
                defer { media.stop() }
                let run = try SIPpRun.run(scenario: "uac-hears-welcome-then-hangs-up.xml", target: proxy.port,
                                          keys: ["rtpport": String(media.port)], pause: 3000)
                #expect(run.exitStatus == 0, "caller \(n): \(run.report)")
                // The node that had her publishes that she is free; the other reads it within 2 s.
                let free = Date().addingTimeInterval(5)
                func idleOnBoth() throws -> Bool {
                    try [a, b].allSatisfy { node in
                        let carol = try QueueTests.agent(node, "carol").json
                        return carol?["state"] as? String == "idle" && carol?["engaged_elsewhere"] as? Bool == false
                    }
                }
                while Date() < free, !(try idleOnBoth()) { usleep(100_000) }
            }
            for node in [a, b] {
                let record = try #require(try QueueTests.records(node, count: 1).first, "\(node.log)")
                #expect((record["outcome"] as? String)?.hasPrefix("queue q: answered by carol") == true, "\(record)\n\(node.log)")
                try HuntTests.expectIdle(node)
            }
        }

        /// kill -9 of one node while each node holds a call: the proxy stops sending it new
        /// calls within 5 s (a missed OPTIONS probe); a call sent to it before that is failed
        /// over to the other node and answered there; the other node's call goes on, media and
        /// all, and hangs up cleanly through the proxy. The killed node's caller is lost.
        @Test func aNodeKilledUnderCallsGetsNoNewCallsWithinFiveSecondsAndTheOtherNodesCallGoesOn() throws {
            let (a, b, proxy) = try Self.cluster("kam-kill")
            let lostMedia = try RTPReceiver(), keptMedia = try RTPReceiver()
            defer { lostMedia.stop(); keptMedia.stop() }
            func arrivals() -> [Int] { [a, b].map { $0.lines(event: "call.arrived").count } }
            let lost = try SIPpRun.start(scenario: "uac-hears-welcome-then-hangs-up.xml", target: proxy.port,
                                         keys: ["rtpport": String(lostMedia.port)], pause: 9000)
            try #require(a.waitForLine(event: "call.arrived", timeout: 5) != nil || b.waitForLine(event: "call.arrived", timeout: 1) != nil)
            let (victim, survivor) = arrivals() == [1, 0] ? (a, b) : (b, a)
            let kept = try SIPpRun.start(scenario: "uac-hears-welcome-then-hangs-up.xml", target: proxy.port,
                                         keys: ["rtpport": String(keptMedia.port)], pause: 9000)
            try #require(survivor.waitForLine(event: "call.arrived", timeout: 5) != nil, "the second call did not reach the other node\n\(survivor.log)")
            try #require(keptMedia.wait(timeout: 5) { !$0.isEmpty } && lostMedia.wait(timeout: 5) { !$0.isEmpty })
            let victimPort = try victim.sipPort

            #expect(victim.stop(signal: SIGKILL) == nil || !victim.process.isRunning)
            let killed = Date()
            // Round-robin sends the next call to the killed node; it times out there and the
            // proxy fails it over (unless a probe has already marked the node inactive).
            let failedOver = try Self.shortCall(proxy)
            #expect(failedOver.exitStatus == 0, "the call sent just after the kill: \(failedOver.report)\n--- proxy\n\(proxy.log)")
            var inactive: TimeInterval?
            while inactive == nil && Date().timeIntervalSince(killed) < 8 {
                if try proxy.nodes()[victimPort]?.hasPrefix("I") == true { inactive = Date().timeIntervalSince(killed) }
                usleep(100_000)
            }
            let view = (try? proxy.nodes()) ?? [:]
            let seconds = try #require(inactive, "the proxy still sends calls to the killed node after 8 s: \(view)\n\(proxy.log)")
            let how = proxy.log.contains("node sip:127.0.0.1:\(victimPort) failed INVITE") ? "by the failed-over call" : "by a missed probe"
            print("kamailio: node killed → marked inactive after \(String(format: "%.1f", seconds)) s, \(how)")
            #expect(seconds < 5)
            let before = survivor.lines(event: "call.arrived").count
            for n in 1...3 {
                let run = try Self.shortCall(proxy)
                #expect(run.exitStatus == 0, "call \(n) after the node was marked inactive: \(run.report)")
            }
            #expect(survivor.lines(event: "call.arrived").count == before + 3, "\(survivor.log)")

            // The survivor's caller heard media throughout and hangs up through the proxy.
            let keptRun = kept.wait()
            #expect(keptRun.exitStatus == 0, "\(keptRun.report)\n--- proxy\n\(proxy.log)")
            let keptLast = try #require(keptMedia.packets.last?.arrival)
            #expect(keptLast.timeIntervalSince(killed) > 4, "the surviving call's media stopped \(keptLast.timeIntervalSince(killed)) s after the kill")
            // The killed node's caller is lost: no media after the kill, and its BYE is not answered by a node.
            let lostRun = lost.wait()
            #expect(lostRun.exitStatus != 0)
            let lostLast = try #require(lostMedia.packets.last?.arrival)
            #expect(lostLast.timeIntervalSince(killed) < 0.5)
            try HuntTests.expectIdle(survivor)
        }
    
        enum SharedLineError: Error { case noNodeTookTheCall }

        /// The plan of the shared-line tests: ann alone serves queue q, with no wrap-up;
        /// `rest`: how long a node passes her over after an offer she did not take.
        static func lineOfOne(_ ann: UInt16, rest: String = "5s") -> String {
            TestPlan.queue(agents: [Agent("ann", port: ann, skills: "support=5")],
                           queues: "queue q {\n  require support>=1\n  join-empty yes\n  wrap-up 0s\n  no-answer-delay \(rest)\n}\n")
        }

        /// Sets ann's status through `node`'s API, and waits until `other` has read it.
        static func setAnn(_ status: String, on node: ControllerProcess, seenBy other: ControllerProcess) throws {
            let set = try Curl.request("POST", "http://\(try node.httpAddress)/api/agents/ann/status", token: try node.adminToken,
                                       body: #"{"status":"\#(status)"}"#)
            try #require(set.status == 200, "\(set.body)")
            let deadline = Date().addingTimeInterval(8)
            while Date() < deadline, try QueueTests.agent(other, "ann").json?["status"] as? String != status { usleep(100_000) }
            try #require(try QueueTests.agent(other, "ann").json?["status"] as? String == status, "\(other.log)")
        }

        /// Starts a caller through the proxy who waits on the line until hung up, and returns
        /// it with the node that took it (the one whose `call.arrived` count went up).
        static func waitingCaller(_ proxy: KamailioProxy, _ nodes: [ControllerProcess], media: RTPReceiver) throws -> (SIPpRun.Running, ControllerProcess) {
            let before = nodes.map { $0.lines(event: "call.arrived").count }
            let caller = try SIPpRun.start(scenario: "uac-stays-until-hung-up.xml", target: proxy.port, keys: ["rtpport": String(media.port)],
                                           timeLimit: 60)
            let deadline = Date().addingTimeInterval(5)
            while Date() < deadline {
                if let i = nodes.indices.first(where: { nodes[$0].lines(event: "call.arrived").count > before[$0] }) {
                    _ = nodes[i].waitForLine(event: "queue.joined", timeout: 5) { _ in nodes[i].lines(event: "queue.joined").count > before[i] }
                    return (caller, nodes[i])
                }
                usleep(20_000)
            }
            throw SharedLineError.noNodeTookTheCall
        }

        /// The SIP Call-IDs of `lines` in the order of their `ts`, across nodes.
        static func inTimeOrder(_ lines: [String]) -> [String] {
            lines.sorted { (ControllerProcess.field("ts", in: $0) ?? "") < (ControllerProcess.field("ts", in: $1) ?? "") }
                .compactMap { ControllerProcess.field("sip_call_id", in: $0) }
        }

        /// Four callers dial the proxy while ann is paused: two wait on each node, in one line.
        /// ann becomes available through node B (which does not hold the first caller): B holds
        /// her for node A's older caller instead of offering its own, and from then on each
        /// node offers her its caller only when theirs is the longest waiting of the whole
        /// line. She answers them in the order they called, each offer once, never two at once.
        @Test func callersOnBothNodesWaitInOneLineAndOneAgentAnswersThemInArrivalOrder() throws {
            let ports = try HuntTests.agentPorts(["ann"])
            let (a, b, proxy) = try Self.cluster("kam-line", plan: Self.lineOfOne(ports["ann"]!))
            try Self.setAnn("paused", on: a, seenBy: b)
            let media = try RTPReceiver()
            defer { media.stop() }
            let ann = try SIPpRun.agent("uas-agent-answers-then-hangs-up.xml", port: ports["ann"]!, calls: 4,
                                        keys: ["rtpport": String(media.port), "controller": "127.0.0.1:\(try a.sipPort)"], pause: 1000, timeLimit: 60)
            defer { _ = ann.stop() }
            var callers: [(SIPpRun.Running, ControllerProcess)] = []
            for _ in 1...4 {
                callers.append(try Self.waitingCaller(proxy, [a, b], media: media))
                Thread.sleep(forTimeInterval: 0.3)
            }
            defer { for (caller, _) in callers { _ = caller.stop() } }
            #expect([a, b].map { $0.lines(event: "queue.joined").count } == [2, 2], "the proxy sends two callers to each node")
            let first = callers[0].1, other = first === a ? b : a
            Thread.sleep(forTimeInterval: 2.5)  // a read of the store: each node has the other's callers in line

            try Self.setAnn("available", on: other, seenBy: first)
            for (n, (caller, _)) in callers.enumerated() {
                let run = caller.wait()
                #expect(run.exitStatus == 0, "caller \(n + 1): \(run.report)\n--- A\n\(a.log)\n--- B\n\(b.log)")
            }
            #expect(ann.wait().exitStatus == 0)
            let arrived = Self.inTimeOrder(a.lines(event: "call.arrived") + b.lines(event: "call.arrived"))
            let answered = Self.inTimeOrder((a.lines(event: "queue.outcome") + b.lines(event: "queue.outcome")).filter {
                ControllerProcess.field("outcome", in: $0)?.hasPrefix("answered by ann") == true
            })
            #expect(answered == arrived, "answered in another order than they called\n--- A\n\(a.log)\n--- B\n\(b.log)")
            #expect(QueueTests.dialled(a, member: "ann") + QueueTests.dialled(b, member: "ann") == 4, "each caller offered to ann once")
            // From ann's hang-up (the end of her caller's call) on one node to her next INVITE
            // from the other (a node offering its own next caller does it in the same input).
            func times(_ event: String, member: String? = nil) -> [(at: Date, node: String)] {
                [("A", a), ("B", b)].flatMap { name, node in
                    node.lines(event: event).filter { member == nil || ControllerProcess.field("member", in: $0) == member }
                        .compactMap { ControllerProcess.field("ts", in: $0) }.compactMap { ISO8601DateFormatter.withMilliseconds.date(from: $0) }
                        .map { (at: $0, node: name) }
                }.sorted { $0.at < $1.at }
            }
            let ended = times("call.ended")
            let handovers = times("leg.dialled", member: "ann").dropFirst().map { dialled -> String in
                guard let last = ended.last(where: { $0.at <= dialled.at.addingTimeInterval(0.005) }) else { return "same node" }
                return last.node == dialled.node ? "same node" : "\(last.node)→\(dialled.node) \(Int(dialled.at.timeIntervalSince(last.at) * 1000)) ms"
            }
            print("cluster: one line, ann's hang-up → her next offer: \(handovers.joined(separator: ", "))")
            #expect(other.lines(event: "agent.held-for-another-node").contains { ControllerProcess.field("agent", in: $0) == "ann" &&
                ControllerProcess.field("caller", in: $0)?.hasSuffix("/" + (ControllerProcess.field("call", in: first.lines(event: "call.arrived")[0]) ?? "?")) == true },
                    "node B held ann for node A's first caller\n\(other.log)")
            for node in [a, b] { try HuntTests.expectIdle(node) }
        }

        /// Callers wait on both nodes while ann is paused. She becomes available on node V,
        /// which holds the longest-waiting caller: V offers her that caller, her phone is busy,
        /// and V rests her (`no-answer-delay`). The other node, S, now holds her for V's caller,
        /// who is first in line, and does not offer her its own. V is killed with SIGKILL (its
        /// callers are lost): S's next read of the store no longer counts V (its session ended
        /// with its process) and S offers her its own callers, in their order, within 5 s.
        @Test func aNodeKilledUnderWaitingCallersLeavesTheLineToTheSurvivorsCallersInTheirOrder() throws {
            let ports = try HuntTests.agentPorts(["ann"])
            let (a, b, proxy) = try Self.cluster("kam-line-kill", plan: Self.lineOfOne(ports["ann"]!, rest: "60s"))
            try Self.setAnn("paused", on: a, seenBy: b)
            let media = try RTPReceiver()
            defer { media.stop() }
            var callers: [(SIPpRun.Running, ControllerProcess)] = []
            for _ in 1...4 {
                callers.append(try Self.waitingCaller(proxy, [a, b], media: media))
                Thread.sleep(forTimeInterval: 0.3)
            }
            defer { for (caller, _) in callers { _ = caller.stop() } }
            let victim = callers[0].1, survivor = victim === a ? b : a
            Thread.sleep(forTimeInterval: 2.5)  // each node has the other's callers in line

            let busy = try SIPpRun.agent("uas-agent-busy.xml", port: ports["ann"]!, timeLimit: 30, substitute: ["[code]": "486", "[reason]": "Busy Here"])
            try Self.setAnn("available", on: victim, seenBy: survivor)
            #expect(busy.wait().exitStatus == 0, "the victim offered ann its first caller")
            let ann = try SIPpRun.agent("uas-agent-answers-then-hangs-up.xml", port: ports["ann"]!, calls: 2,
                                        keys: ["rtpport": String(media.port), "controller": "127.0.0.1:\(try survivor.sipPort)"], pause: 500, timeLimit: 60)
            defer { _ = ann.stop() }
            let victimsFirst = try #require(ControllerProcess.field("call", in: victim.lines(event: "call.arrived")[0]))
            try #require(survivor.waitForLine(event: "agent.held-for-another-node", timeout: 5) {
                ControllerProcess.field("caller", in: $0)?.hasSuffix("/" + victimsFirst) == true
            } != nil, "the survivor did not hold ann for the victim's first caller\n\(survivor.log)")
            Thread.sleep(forTimeInterval: 2.5)
            #expect(QueueTests.dialled(survivor, member: "ann") == 0, "the survivor offered ann its newer caller\n--- survivor\n\(survivor.log)\n--- victim\n\(victim.log)")

            #expect(victim.stop(signal: SIGKILL) == nil || !victim.process.isRunning)
            let killed = Date()
            let offered = survivor.waitForLine(event: "leg.dialled", timeout: 10) { ControllerProcess.field("member", in: $0) == "ann" }
            let seconds = Date().timeIntervalSince(killed)
            try #require(offered != nil, "the survivor never offered ann its callers\n\(survivor.log)")
            print("cluster: node killed under waiting callers → the survivor's first caller offered after \(String(format: "%.1f", seconds)) s")
            #expect(seconds < 5)
            for caller in callers.filter({ $0.1 === survivor }).map(\.0) {
                let run = caller.wait()
                #expect(run.exitStatus == 0, "\(run.report)\n\(survivor.log)")
            }
            let arrived = Self.inTimeOrder(survivor.lines(event: "call.arrived"))
            let answered = Self.inTimeOrder(survivor.lines(event: "queue.outcome").filter {
                ControllerProcess.field("outcome", in: $0)?.hasPrefix("answered by ann") == true
            })
            #expect(answered == arrived && answered.count == 2, "the survivor's callers were answered out of order\n\(survivor.log)")
            try HuntTests.expectIdle(survivor)
        }
    }
}
