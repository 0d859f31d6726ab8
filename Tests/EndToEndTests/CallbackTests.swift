import Foundation
import Testing

extension EndToEnd {
    /// Call backs over real SIP: SIPp callers who take the queue's offer, a SIPp agent, and a
    /// SIPp "customer" phone at the plan's outbound address; RTP checked both ways between
    /// customer and agent; the store across a restart.
    @Suite("Call backs keep the caller's place")
    struct CallbackTests {
        /// ann in department support takes queue q, which offers call backs after 1 s and
        /// retries them after 2 s; customers are called at `customerPort`.
        static func plan(agentPort: UInt16, customerPort: UInt16, numbers: String = "_555XXXX", queueExtra: String = "") -> String {
            """
            settings {
              prompts "\(Repository.prompts.path)"
              outbound "sip:{number}@127.0.0.1:\(customerPort)"
              callback-numbers "\(numbers)"
            }
            department support {
              title "Support"
            }
            agent ann {
              contact "sip:ann@127.0.0.1:\(agentPort)"
              skills support=3
              departments support
            }
            route default -> queue q
            queue q {
              department support
              require support>=1
              join-empty yes
              wrap-up 0s
              ring 10s
              callback key 1 after 1s
              callback retry 2s
              callback attempts 3
            \(queueExtra)}

            """
        }

        static func setStatus(_ controller: ControllerProcess, _ status: String) throws {
            let answer = try Curl.request("POST", "http://\(try controller.httpAddress)/api/agents/ann/status", token: try controller.adminToken,
                                          body: "{\"status\": \"\(status)\", \"reason\": \"test\"}")
            #expect(answer.status == 200, "\(answer.body)")
        }

        static func callbacks(_ controller: ControllerProcess) throws -> [[String: Any]] {
            let answer = try Curl.request("GET", "http://\(try controller.httpAddress)/api/callbacks", token: try controller.adminToken)
            return answer.json?["callbacks"] as? [[String: Any]] ?? []
        }

        /// What SIPp logged with `<log message="NAME [$variable]"/>` (written "NAME value"), in
        /// order; an empty value for a call without it.
        static func logged(_ name: String, in run: SIPpRun) -> [String] {
            // SIPp keeps a header's CRLF in the value it logs: "\r\n" is one Character, so split on any newline.
            run.logs.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).compactMap { line -> String? in
                guard line.hasPrefix(name + " ") || line == name else { return nil }
                let value = line.dropFirst(name.count).trimmingCharacters(in: .whitespaces)
                return value.contains(" ") ? nil : value
            }
        }

        /// The first caller waits, takes the call back and is hung up; a second caller joined
        /// after them. When ann is free the call back is served first: her INVITE carries the
        /// number and the first caller's reference; she answers, the customer is called at the
        /// outbound address, keys 1, and RTP flows both ways between customer and agent. Then
        /// ann takes the second caller.
        @Test func theCallbackIsServedBeforeTheSecondCallerAndTheCustomerTalksToTheAgent() throws {
            let ports = try HuntTests.agentPorts(["ann", "customer"])
            let controller = try ControllerProcess(name: "callback", plan: Self.plan(agentPort: ports["ann"]!, customerPort: ports["customer"]!))
            try Self.setStatus(controller, "paused")
            let agentMedia = try RTPReceiver(), customerMedia = try RTPReceiver(), callerMedia = try RTPReceiver()
            defer { agentMedia.stop(); customerMedia.stop(); callerMedia.stop() }
            // ann's phone takes the call back (presenting 5551234) and the second caller (5559876).
            let ann = try SIPpRun.agent("uas-agent-answers.xml", port: ports["ann"]!, calls: 2, keys: ["rtpport": String(agentMedia.port)],
                                        pause: 300, timeLimit: 50,
                                        substitute: ["From: &quot;5551234&quot; &lt;sip:5551234@": "From: &quot;555(1234|9876)&quot; &lt;sip:555(1234|9876)@"])
            let customer = try SIPpRun.agent("uas-customer-answers-keys-1-and-talks.xml", port: ports["customer"]!,
                                             keys: ["rtpport": String(customerMedia.port)], pause: 1500, timeLimit: 50,
                                             substitute: ["[talk_ms]": "6000"])
            let first = try SIPpRun.start(scenario: "uac-keys-1-for-a-callback-confirms-and-is-hung-up.xml", target: try controller.sipPort,
                                          keys: ["rtpport": String(callerMedia.port)], pause: 2000)
            try #require(controller.waitForLine(event: "queue.joined", timeout: 5) != nil, "\(controller.log)")
            // The second caller joins after the first and stays (19 s) until ann has taken them.
            let second = try SIPpRun.start(scenario: "uac-hears-welcome-then-hangs-up.xml", target: try controller.sipPort,
                                           keys: ["rtpport": String(callerMedia.port)], pause: 19000, timeLimit: 40,
                                           substitute: ["5551234": "5559876"])
            let requested = try #require(controller.waitForLine(event: "callback.requested", timeout: 15), "\(controller.log)")
            let reference = try #require(ControllerProcess.field("reference", in: requested))
            let pending = try Self.callbacks(controller)
            #expect(pending.count == 1 && pending.first?["number"] as? String == "5551234" && pending.first?["reference"] as? String == reference,
                    "\(pending)")

            try Self.setStatus(controller, "available")
            guard controller.waitForLine(event: "callback.connected", timeout: 20) != nil else {
                let a = ann.stop(), c = customer.stop()
                Issue.record("not connected\nann: \(a.report)\n\(a.logs)\ncustomer: \(c.report)\n\(controller.log)")
                return
            }
            try #require(agentMedia.wait(timeout: 5) { !$0.isEmpty } && customerMedia.wait(timeout: 5) { !$0.isEmpty }, "no RTP after the bridge")
            Thread.sleep(forTimeInterval: 0.5)
            let (heardByAgent, heardByCustomer) = try RTPReceiver.talkInTurn(customerMedia, agentMedia)
            #expect(heardByAgent >= 40, "the agent heard \(heardByAgent) of 50 packets of the customer")
            #expect(heardByCustomer >= 40, "the customer heard \(heardByCustomer) of 50 packets of the agent")
            print("call back bridged: customer->agent \(heardByAgent)/50, agent->customer \(heardByCustomer)/50")

            let firstRun = first.wait()
            #expect(firstRun.exitStatus == 0, "first caller: \(firstRun.report)\n\(controller.log)")
            let customerRun = customer.wait(), secondRun = second.wait(), annRun = ann.wait()
            #expect(customerRun.exitStatus == 0, "customer: \(customerRun.report)\n\(controller.log)")
            #expect(Self.logged("reference", in: customerRun) == [reference], "\(customerRun.logs)")
            #expect(secondRun.exitStatus == 0, "second caller: \(secondRun.report)\n\(controller.log)")
            #expect(annRun.exitStatus == 0, "ann: \(annRun.report)\n\(controller.log)")
            // ann's first INVITE was the call back (its number, the first caller's reference),
            // her second the second caller's.
            #expect(Self.logged("callback", in: annRun) == ["5551234", ""], "\(annRun.logs)")
            let references = Self.logged("reference", in: annRun)
            #expect(references.count == 2 && references.first == reference && references.last != reference, "\(references) vs \(reference)")

            let records = try QueueTests.records(controller, count: 2)
            #expect(records.first?["outcome"] as? String == "queue q: callback requested", "\(records)")
            #expect((records.last?["outcome"] as? String)?.hasPrefix("queue q: answered by ann") == true, "\(records)")
            let queues = try Curl.request("GET", "http://\(try controller.httpAddress)/api/queues", token: try controller.adminToken)
            let q = (queues.json?["queues"] as? [[String: Any]])?.first { $0["queue"] as? String == "q" }
            let counts = q?["callbacks"] as? [String: Any]
            #expect(q?["called_back"] as? Int == 1 && q?["abandoned"] as? Int == 0, "\(queues.body)")
            #expect(counts?["pending"] as? Int == 0 && counts?["placed"] as? Int == 1 && counts?["connected"] as? Int == 1, "\(queues.body)")
            #expect(try Self.callbacks(controller).isEmpty)
            let shown = try ReferenceTests.cli(["ref", "show", reference, "--data", ReferenceTests.data(controller)])
            #expect(shown.out.contains("callback connected: 5551234 with ann"), "\(shown.out)")
            try QueueTests.expectIdle(controller)
        }

        /// A pending call back survives a restart at its place; the customer's phone is busy
        /// on the first attempt and the call back is placed again after `callback retry`.
        @Test func aRestartKeepsThePendingCallbackAndABusyCustomerIsRetried() throws {
            let ports = try HuntTests.agentPorts(["ann", "customer"])
            let plan = Self.plan(agentPort: ports["ann"]!, customerPort: ports["customer"]!)
            let first = try ControllerProcess(name: "callback-restart-1", plan: plan)
            try Self.setStatus(first, "paused")
            let callerMedia = try RTPReceiver(), agentMedia = try RTPReceiver(), customerMedia = try RTPReceiver()
            defer { callerMedia.stop(); agentMedia.stop(); customerMedia.stop() }
            let caller = try SIPpRun.start(scenario: "uac-keys-1-for-a-callback-confirms-and-is-hung-up.xml", target: try first.sipPort,
                                           keys: ["rtpport": String(callerMedia.port)], pause: 2000)
            let callerRun = caller.wait()
            #expect(callerRun.exitStatus == 0, "\(callerRun.report)\n\(first.log)")
            let before = try Self.callbacks(first)
            try #require(before.count == 1, "\(before)\n\(first.log)")
            #expect(first.stop() == 0)

            let restarted = try ControllerProcess(name: "callback-restart-2", plan: plan, reusing: first.dataFolder)
            let after = try Self.callbacks(restarted)
            #expect(after.count == 1 && after.first?["joined_at"] as? String == before.first?["joined_at"] as? String
                    && after.first?["id"] as? Int == before.first?["id"] as? Int, "\(before) then \(after)")
            #expect(restarted.waitForLine(event: "callback.restored", timeout: 5) != nil, "\(restarted.log)")
            try Self.deskListsTheCallback(restarted, number: "5551234")
            try Self.wallboardCountsTheCallback(restarted)
            let busy = try SIPpRun.agent("uas-agent-busy.xml", port: ports["customer"]!, timeLimit: 30, substitute: ["[code]": "486", "[reason]": "Busy Here"])
            let ann = try SIPpRun.agent("uas-agent-answers.xml", port: ports["ann"]!, calls: 2, keys: ["rtpport": String(agentMedia.port)],
                                        pause: 300, timeLimit: 40)
            try Self.setStatus(restarted, "available")
            let retry = try #require(restarted.waitForLine(event: "callback.retry", timeout: 15), "\(restarted.log)")
            #expect(ControllerProcess.field("why", in: retry) == "busy", "\(retry)")
            let busyRun = busy.wait()
            #expect(busyRun.exitStatus == 0, "busy customer: \(busyRun.report)")
            // The retry (2 s) finds the customer answering.
            let customer = try SIPpRun.agent("uas-customer-answers-keys-1-and-talks.xml", port: ports["customer"]!,
                                             keys: ["rtpport": String(customerMedia.port)], pause: 1500, timeLimit: 30,
                                             substitute: ["[talk_ms]": "1000"])
            let ended = try #require(restarted.waitForLine(event: "callback.ended", timeout: 25) { $0.contains("end=connected") }, "\(restarted.log)")
            #expect(ControllerProcess.field("attempts", in: ended) == "2", "\(ended)")
            let customerRun = customer.wait(), annRun = ann.wait()
            #expect(customerRun.exitStatus == 0, "customer: \(customerRun.report)\n\(restarted.log)")
            #expect(annRun.exitStatus == 0, "ann: \(annRun.report)\n\(restarted.log)")
            #expect(Self.logged("callback", in: annRun) == ["5551234", "5551234"], "\(annRun.logs)")
            #expect(try Self.callbacks(restarted).isEmpty)
            try QueueTests.expectIdle(restarted)
        }

        /// ann's desk in headless Chromium lists her department's pending call back; the
        /// screenshot goes to var/test-artifacts/desk-callbacks.png.
        static func deskListsTheCallback(_ controller: ControllerProcess, number: String) throws {
            let http = try controller.httpAddress
            let token = try #require(try Curl.request("GET", "http://\(http)/api/agents/ann/token", token: try controller.adminToken).json?["token"] as? String)
            let profile = try Repository.scratchFolder("chromium")
            defer { try? FileManager.default.removeItem(at: profile) }
            let browser = try HeadlessChromium(profile: profile)
            defer { browser.quit() }
            let page = try browser.open("http://\(http)/desk/ann?token=\(token)")
            let listed = browser.text(of: "callbacks", session: page) { $0.contains(number) }
            #expect(listed.contains(number) && listed.contains("queue q") && listed.contains("place since"), "the desk lists: '\(listed)'")
            let artifacts = Repository.root.appendingPathComponent("var/test-artifacts")
            try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
            Thread.sleep(forTimeInterval: 0.3)
            let png = try browser.screenshot(session: page)
            try png.write(to: artifacts.appendingPathComponent("desk-callbacks.png"))
            #expect(png.count > 10_000, "no screenshot")
        }

        /// The supervisors' wallboard in headless Chromium: queue q's tile counts the pending
        /// call back; the screenshot goes to var/test-artifacts/wallboard-callbacks.png.
        static func wallboardCountsTheCallback(_ controller: ControllerProcess) throws {
            let http = try controller.httpAddress
            let issued = try Curl.request("GET", "http://\(http)/api/wallboard/token", token: try controller.adminToken)
            let supervisor = try #require(issued.json?["token"] as? String, "\(issued.body)")
            let profile = try Repository.scratchFolder("chromium")
            defer { try? FileManager.default.removeItem(at: profile) }
            let browser = try HeadlessChromium(profile: profile, width: 1920, height: 1080)
            defer { browser.quit() }
            let page = try browser.open("http://\(http)/wallboard?token=\(supervisor)")
            let shown = browser.text(of: "queues", session: page) { $0.contains("call backs: 1 waiting") }
            #expect(shown.contains("call backs: 1 waiting · 0 placed · 0 connected · 0 given up"), "the wallboard's queues: '\(shown)'")
            Thread.sleep(forTimeInterval: 0.3)
            let png = try browser.screenshot(session: page)
            try png.write(to: Repository.root.appendingPathComponent("var/test-artifacts/wallboard-callbacks.png"))
        }

        /// A confirmed number the plan's callback-numbers do not allow is refused: the caller
        /// is told so and keeps waiting (here until max-wait); nothing is placed.
        @Test func aNumberOutsideTheCallbackNumbersIsRefusedAndNothingIsPlaced() throws {
            let ports = try HuntTests.agentPorts(["ann", "customer"])
            let plan = Self.plan(agentPort: ports["ann"]!, customerPort: ports["customer"]!, numbers: "_1NXXNXXXXXX",
                                 queueExtra: "  max-wait 7s -> hangup\n")
            let controller = try ControllerProcess(name: "callback-refused", plan: plan)
            try Self.setStatus(controller, "paused")
            let media = try RTPReceiver()
            defer { media.stop() }
            let caller = try SIPpRun.start(scenario: "uac-keys-1-for-a-callback-confirms-and-is-hung-up.xml", target: try controller.sipPort,
                                           keys: ["rtpport": String(media.port)], pause: 2000)
            let refused = try #require(controller.waitForLine(event: "callback.refused", timeout: 15), "\(controller.log)")
            #expect(ControllerProcess.field("why", in: refused) == "no callback-numbers pattern allows it", "\(refused)")
            let run = caller.wait()
            #expect(run.exitStatus == 0, "\(run.report)\n\(controller.log)")
            #expect(controller.lines(event: "callback.requested").isEmpty && controller.lines(event: "callback.placed").isEmpty, "\(controller.log)")
            #expect(try Self.callbacks(controller).isEmpty)
            let record = try #require(try QueueTests.records(controller, count: 1).first)
            let steps = QueueTests.steps(record)
            #expect(steps.contains { $0.hasPrefix("play callback-refused") } && steps.contains { $0.hasPrefix("queue q: overflowed to hangup") }, "\(steps)")
            try QueueTests.expectIdle(controller)
        }
    }
}
