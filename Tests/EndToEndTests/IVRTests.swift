import Foundation
import Testing

extension EndToEnd {
    /// The menus over real SIP: a SIPp caller holds the call while the test listens to its
    /// RTP and presses keys as RFC 4733 telephone-events; the call records (GET /api/records)
    /// must show the caller's path.
    @Suite("IVR menus over SIP")
    struct IVRTests {
        /// One call: the controller on the `menus` plan, a SIPp caller on the test's RTP port.
        struct Call {
            let controller: ControllerProcess
            let rtp: RTPReceiver
            let caller: SIPpRun.Running

            init(_ name: String, scenario: String = "uac-hears-welcome-then-hangs-up.xml", listen: Int = 20_000) throws {
                controller = try ControllerProcess(name: name, plan: TestPlan.menus)
                rtp = try RTPReceiver()
                caller = try SIPpRun.start(scenario: scenario, target: try controller.sipPort,
                                           keys: ["rtpport": String(rtp.port)], pause: listen, timeLimit: 60)
                try #require(rtp.wait(timeout: 10) { !$0.isEmpty }, "no RTP reached the caller\n\(controller.log)")
            }

            /// The finished call's path, from the API (after SIPp ended it).
            func path() throws -> (steps: [String], outcome: String?) {
                let response = try Curl.request("GET", "http://\(try controller.httpAddress)/api/records?limit=1", token: try controller.adminToken)
                let record = (response.json?["records"] as? [[String: Any]])?.first
                let steps = (record?["path"] as? [[String: Any]])?.compactMap { $0["step"] as? String } ?? []
                return (steps, record?["outcome"] as? String)
            }

            func finish() -> SIPpRun {
                let run = caller.wait()
                rtp.stop()
                _ = controller.waitForLine(event: "call.ended", timeout: 10)
                return run
            }
        }

        @Test func pressing2ReachesSupportWhereKeysTypedDuringTheGreetingWaitForItsEnd() throws {
            let call = try Call("ivr-support", listen: 14_000)
            #expect(call.rtp.waitForPromptEnd(), "the welcome greeting never ended")
            let pressed2 = try call.rtp.pressKey("2")
            let supportStarts = try #require(call.rtp.firstVoiced(after: pressed2), "no prompt after key 2")
            let latency = supportStarts.timeIntervalSince(pressed2)
            #expect(latency < 0.5, "key to next prompt took \(Int(latency * 1000)) ms")
            // support has no barge-in: a key one second into its greeting is kept, and the
            // greeting plays on to its end before the key takes the caller to the queue.
            Thread.sleep(forTimeInterval: 1)
            let pressed1 = try call.rtp.pressKey("1")
            Thread.sleep(forTimeInterval: 2)
            #expect(call.rtp.lastVoiced(from: pressed1.addingTimeInterval(1.5), to: Date()) != nil, "the greeting stopped at the key")
            let run = call.finish()
            #expect(run.exitStatus == 0, "\(run.report)\n\(call.controller.log)")
            let (steps, outcome) = try call.path()
            // The menus routed the caller to the queue, where they hung up while waiting.
            #expect(outcome?.hasPrefix("queue support: abandoned after") == true, "\(outcome ?? "")")
            let expected = ["menu main", "play welcome", "wait up to 2s for a key", "key 2", "option 2 -> menu support", "menu support",
                            "play support-short", "key 1", "option 1 -> queue support", "ends: routed queue support",
                            "queue support: joined", "play please-hold"]
            #expect(Array(steps.prefix(expected.count)) == expected, "\(steps)")
            print("key-to-next-prompt (one call): \(Int(latency * 1000)) ms")
        }

        @Test func anInvalidKeyPlaysTheInvalidPromptThenTheMenuAgain() throws {
            let call = try Call("ivr-invalid", listen: 11_000)
            #expect(call.rtp.waitForPromptEnd())
            let pressed = try call.rtp.pressKey("7")
            // The caller hears the invalid prompt (2.2 s) and then the menu's reprompt (2.8 s).
            Thread.sleep(forTimeInterval: 5.5)
            #expect(call.rtp.lastVoiced(from: pressed.addingTimeInterval(0.1), to: pressed.addingTimeInterval(2.0)) != nil, "no invalid prompt")
            #expect(call.rtp.lastVoiced(from: pressed.addingTimeInterval(2.6), to: pressed.addingTimeInterval(5.0)) != nil, "no reprompt")
            let run = call.finish()
            #expect(run.exitStatus == 0, "\(run.report)")
            let (steps, _) = try call.path()
            #expect(Array(steps.prefix(8)) == ["menu main", "play welcome", "wait up to 2s for a key", "key 7", "invalid entry 7",
                                               "play invalid-option", "menu main, attempt 2", "play welcome"], "\(steps)")
        }

        @Test func silenceLeadsThroughTheTimeoutsToOnFailure() throws {
            let call = try Call("ivr-silence", scenario: "uac-stays-until-hung-up.xml")
            let run = call.finish()
            // SIPp exits 0 only if the controller hung up (after goodbye) and got its 200.
            #expect(run.exitStatus == 0, "\(run.report)\n\(call.controller.log)")
            let (steps, outcome) = try call.path()
            #expect(outcome == "hung-up")
            #expect(steps == ["menu main", "play welcome", "wait up to 2s for a key", "no key before the timeout", "play no-input",
                              "menu main, attempt 2", "play welcome", "wait up to 2s for a key", "no key before the timeout",
                              "play no-input", "attempts used up: on-failure -> hangup", "play goodbye", "ends: hung-up"], "\(steps)")
        }

        @Test func aKeyDuringTheGreetingStopsItsRTPWithin100Milliseconds() throws {
            let call = try Call("ivr-bargein", listen: 6_000)
            // One second into the welcome greeting (speech), key 1: the start of option 12,
            // so after the barge-in the menu waits quietly for the next key.
            let start = try #require(call.rtp.firstVoiced(after: .distantPast))
            Thread.sleep(until: start.addingTimeInterval(1.0))
            #expect(call.rtp.lastVoiced(from: Date().addingTimeInterval(-0.1), to: Date()) != nil, "the greeting should be speaking now")
            let pressed = try call.rtp.pressKey("1")
            Thread.sleep(forTimeInterval: 1.0)
            // The first packet of the silence that follows (the menu then waits quietly).
            let quiet = try #require(call.rtp.silenceStart(after: pressed, until: pressed.addingTimeInterval(1.0)), "the greeting did not stop")
            let stoppedAfter = quiet.timeIntervalSince(pressed)
            #expect(stoppedAfter < 0.1, "greeting RTP went on \(Int(stoppedAfter * 1000)) ms after the key")
            let run = call.finish()
            #expect(run.exitStatus == 0, "\(run.report)")
            let (steps, _) = try call.path()
            #expect(Array(steps.prefix(4)) == ["menu main", "play welcome", "key 1", "prompt stopped by the key (barge-in)"], "\(steps)")
            print("barge-in: greeting RTP silent from \(Int(stoppedAfter * 1000)) ms after the key")
        }

        @Test func starInTheSubMenuGoesBackToTheMainMenu() throws {
            let call = try Call("ivr-back", listen: 14_000)
            #expect(call.rtp.waitForPromptEnd())
            try call.rtp.pressKey("2")
            #expect(call.rtp.waitForPromptEnd(after: Date()), "the support greeting never ended")
            let back = try call.rtp.pressKey("*")
            #expect(call.rtp.firstVoiced(after: back) != nil)
            let run = call.finish()
            #expect(run.exitStatus == 0, "\(run.report)")
            let (steps, _) = try call.path()
            #expect(Array(steps.prefix(12)) == ["menu main", "play welcome", "wait up to 2s for a key", "key 2", "option 2 -> menu support",
                                                "menu support", "play support-short", "wait up to 5s for a key", "key *",
                                                "option * -> back", "menu main", "play welcome"], "\(steps)")
        }

        @Test func plainDTMFInfoKeysWorkToo() throws {
            let controller = try ControllerProcess(name: "ivr-info", plan: TestPlan.menus)
            let rtp = try RTPReceiver()
            defer { rtp.stop() }
            let run = try SIPpRun.run(scenario: "uac-keys-2-by-plain-dtmf-info-then-hangs-up.xml", target: try controller.sipPort,
                                      keys: ["rtpport": String(rtp.port)], pause: 500)
            #expect(run.exitStatus == 0, "\(run.report)\n\(controller.log)")
            #expect(controller.waitForLine(event: "dtmf.received", timeout: 5) { ControllerProcess.field("digit", in: $0) == "2" && ControllerProcess.field("method", in: $0) == "sip-info" } != nil)
            #expect(controller.waitForLine(event: "ivr.step", timeout: 5) { ControllerProcess.field("step", in: $0) == "menu support" } != nil,
                    "\(controller.log)")
        }
    }
}
