import Controller
import Foundation
import TestSupport
import Testing
import ThroughlineCore

/// Whole calls through the controller with a fake telephony port and fake time, no SIP: every
/// command the telephony side is asked to run, in order. These are the safety net for moving
/// the controller's rules into a pure switchboard (issue 14): the order they pin is what
/// callers and agents hear and see.
@Suite("Whole calls: commands in order")
struct WholeCallTests {
    static let plan = TestPlans.salesAndBilling

    let port = FakeTelephonyPort()
    let logs = LogCapture()
    let clock = ManualClock()

    func caller(_ c: CallController) {
        c.handle(.telephony(.callArrived(IncomingCall(handle: CallHandle(1), sipCallID: "cid-1", caller: "5551234", dialled: "5551000",
                                                      remoteURI: "<sip:5551234@127.0.0.1>"))))
    }

    /// The INVITE sent to `agent`'s phone: its handle.
    func leg(to agent: String) throws -> CallHandle {
        try #require(port.executed.compactMap { if case .dial(let h, let to, _, _, _) = $0, to.contains(agent) { h } else { nil } }.last)
    }

    @Test func menuKeyQueueAnswerDeskTransferToAnotherDepartmentThenTheCallerHangsUp() throws {
        let c = CallController(port: port, logger: logs.logger(), plan: TestPlans.loaded(Self.plan), clock: clock.reader)
        caller(c)
        c.handle(.telephony(.mediaActive(CallHandle(1))))
        clock.advance(by: .seconds(2))
        c.handle(.telephony(.digitReceived(CallHandle(1), DTMFDigit("1")!, .rfc4733)))
        let ann = try leg(to: "ann")
        c.handle(.telephony(.callAnswered(ann)))
        c.handle(.telephony(.mediaActive(ann)))
        clock.advance(by: .seconds(30))
        let reply = Box()
        c.handle(.transferToDepartment(call: "1", department: "billing", reply: { reply.value = $0 }))
        #expect(reply.value == .some(nil))
        c.handle(.telephony(.callEnded(ann, code: 200, reason: "Normal")))
        let bea = try leg(to: "bea")
        c.handle(.telephony(.callAnswered(bea)))
        c.handle(.telephony(.mediaActive(bea)))
        c.handle(.telephony(.callEnded(CallHandle(1), code: 200, reason: "Normal")))
        c.handle(.telephony(.callEnded(bea, code: 200, reason: "Normal")))
        let caller = CallHandle(1)
        func dial(_ leg: CallHandle, _ agent: String, port: Int) -> TelephonyCommand {
            .dial(leg, to: "sip:\(agent)@127.0.0.1:\(port)", callerID: "5551234",
                  headers: [SIPHeader("X-Throughline-Call-ID", "cid-1"), SIPHeader("X-Throughline-Member", agent)])
        }
        func hold(_ n: UInt32) -> PlaybackID { PlaybackID(call: caller, sequence: 1_000_000 + n) }
        #expect(port.executed == [
            .answer(caller, code: 200),
            .play(caller, prompts: ["/prompts/main-greeting.wav"], playback: PlaybackID(call: caller, sequence: 0), loop: false),
            // Key 1: the agent's INVITE first, then the greeting stops and "please hold" starts.
            dial(ann, "ann", port: 6001),
            .stopPlayback(caller, PlaybackID(call: caller, sequence: 0)),
            .play(caller, prompts: ["/prompts/please-hold.wav"], playback: hold(0), loop: false),
            // ann answers: the caller stops hearing "please hold" before the bridge.
            .stopPlayback(caller, hold(0)),
            .bridge(caller, ann),
            // The desk sends the caller to billing: ann's leg ends, bea rings, the caller holds.
            .hangup(ann, code: 487),
            dial(bea, "bea", port: 6002),
            .play(caller, prompts: ["/prompts/please-hold.wav"], playback: hold(1), loop: false),
            .stopPlayback(caller, hold(1)),
            .bridge(caller, bea),
            // The caller hangs up: bea's leg gets its BYE.
            .hangup(bea, code: 487),
        ])
        #expect(c.activeCalls == 0 && c.activeLegs == 0)
        let ended = try #require(logs.lines(event: "call.ended").first)
        #expect(ended.contains("outcome=\"queue billing: answered by bea after 0.0s\""), "\(ended)")
        #expect(logs.lines(event: "transfer.desk").first?.contains("department=billing target=\"queue billing\"") == true)
    }

    final class Box: @unchecked Sendable { var value: String?? }
}
