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
    }
}
