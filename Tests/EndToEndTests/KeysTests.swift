import Foundation
import Testing

extension EndToEnd {
    /// Keys reach the controller by RFC 4733 telephone-events and by SIP INFO, once each.
    @Suite("Keys by RFC 4733 and SIP INFO")
    struct KeysTests {
        @Test func rfc4733AndInfoKeysAreEachReceivedOnceWithTheirMethod() throws {
            let controller = try ControllerProcess(name: "keys", plan: TestPlan.threeKeys)
            let rtp = try RTPReceiver()
            defer { rtp.stop() }
            let sipp = try SIPpRun.run(
                scenario: "uac-keys-1-by-rfc4733-and-5-by-info.xml", target: try controller.sipPort,
                keys: ["rtpport": String(rtp.port)], pause: 500)
            #expect(sipp.exitStatus == 0, "\(sipp.report)\n--- controller\n\(controller.log)")

            let ended = try #require(controller.waitForLine(event: "call.ended", timeout: 5), "\(controller.log)")
            let keys = controller.lines(event: "dtmf.received").map {
                "\(ControllerProcess.field("digit", in: $0) ?? "?")/\(ControllerProcess.field("method", in: $0) ?? "?")"
            }
            #expect(keys == ["1/rfc4733", "5/sip-info", "7/rfc4733"], "\(controller.log)")
            #expect(ControllerProcess.field("keys", in: ended) == "157")
            // The three keys, by both methods, made one multi-key option of the plan.
            #expect(controller.lines(event: "ivr.outcome").first.map { ControllerProcess.field("outcome", in: $0) } == "routed queue support")
            #expect(controller.stop() == 0)
        }
    }
}
