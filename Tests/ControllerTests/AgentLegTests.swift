import Controller
import Foundation
import TestSupport
import Testing
import ThroughlineCore

/// The controller's side of hunts and transfers, with a fake telephony port: which INVITEs
/// it places, what it bridges and cancels, how a REFER's referred call is recognised.
@Suite("CallController: agent legs and transfers")
struct AgentLegTests {
    static let plan = """
    agent ann {
      contact "sip:ann@10.0.0.1"
      skills s=1
    }
    agent ben {
      contact "sip:ben@10.0.0.2"
      skills s=1
    }
    route default -> hunt ops
    hunt ops {
      mode simultaneous
      members ann, ben
      on-no-answer -> queue support
    }
    queue support {
    }
    """

    let port = FakeTelephonyPort()
    let logs = LogCapture()
    let clock = ManualClock()

    func controller() -> CallController {
        let c = CallController(port: port, logger: logs.logger(), plan: TestPlans.loaded(Self.plan), clock: clock.reader)
        c.ownAddress = "127.0.0.1:5060"
        return c
    }

    func arrive(_ c: CallController, _ n: UInt64 = 1, caller: String = "5551234", remote: String = "<sip:5551234@10.9.9.9>", to: String = "5551000") {
        c.handle(.telephony(.callArrived(IncomingCall(handle: CallHandle(n), sipCallID: "cid-\(n)", caller: caller, dialled: to, remoteURI: remote))))
        c.handle(.telephony(.mediaActive(CallHandle(n))))
    }

    var dials: [(CallHandle, String, String, [SIPHeader])] {
        port.executed.compactMap { if case .dial(let h, let to, let id, let headers, _) = $0 { (h, to, id, headers) } else { nil } }
    }

    @Test func aHuntDialsEveryMemberPresentingTheCallerWithContextHeaders() throws {
        let c = controller()
        arrive(c)
        #expect(dials.map(\.1) == ["sip:ann@10.0.0.1", "sip:ben@10.0.0.2"])
        #expect(dials.allSatisfy { $0.2 == "5551234" })
        #expect(dials.first?.3.contains(SIPHeader("X-Throughline-Call-ID", "cid-1")) == true)
        #expect(c.activeLegs == 2)
    }

    @Test func aHuntSkipsAPausedAgentAndSaysWhy() throws {
        let c = controller()
        let done = Box()
        c.handle(.agentStatus(agent: "ann", status: .paused(reason: "lunch"), reply: { done.value = $0 }))
        #expect(done.value == true)
        arrive(c)
        #expect(dials.map(\.1) == ["sip:ben@10.0.0.2"])
        #expect(logs.lines(event: "leg.skipped").first?.contains("why=\"agent paused\"") == true)
    }

    final class Box: @unchecked Sendable { var value: Bool? }

    /// A desk sees the offer (popped once the INVITE is handed over); when the INVITE cannot
    /// be sent, the desk is told the offer ended, after the offer, rather than showing a call
    /// ringing forever.
    @Test func anInviteThatCannotBeSentEndsTheOfferOnTheDesk() throws {
        let c = controller()
        let hub = PopHub()
        c.pops = hub
        let desk = hub.subscribe(agent: "ann", hello: DeskHelloBody(
            agent: AgentBody(agent: "ann", name: "ann", status: "available", reason: nil, state: "idle", call: nil, contact: nil,
                             callsTaken: 0, heldBack: false, queues: []), directory: []))
        port.failWhen = { if case .dial(_, let to, _, _, _) = $0 { to == "sip:ann@10.0.0.1" } else { false } }
        arrive(c)
        let events = desk.next(timeout: 1) ?? ""
        #expect(events.contains("event: offer"))
        #expect(events.contains("event: ended") && events.contains("\"code\":500"), "\(events)")
        #expect(dials.map(\.1) == ["sip:ben@10.0.0.2"])
        #expect(c.activeLegs == 1)
    }

    @Test func theFirstAnswerIsBridgedOnceItsMediaIsUpAndTheOtherLegIsCancelled() throws {
        let c = controller()
        arrive(c)
        let ann = dials[0].0, ben = dials[1].0
        c.handle(.telephony(.callAnswered(ben)))
        #expect(port.executed.contains(.hangup(ann, code: 487)))
        #expect(!port.executed.contains { if case .bridge = $0 { true } else { false } })
        c.handle(.telephony(.mediaActive(ben)))
        #expect(port.executed.last == .bridge(CallHandle(1), ben))
        // The agent hangs up: the caller is hung up too.
        c.handle(.telephony(.callEnded(ann, code: 487, reason: "Request Terminated")))
        c.handle(.telephony(.callEnded(ben, code: 200, reason: "Normal call clearing")))
        #expect(port.executed.last == .hangup(CallHandle(1), code: 200))
        #expect(c.activeLegs == 0)
    }

    @Test func aReferredCallFromItselfCompletesTheTransferAndOthersAreRefused() throws {
        let c = controller()
        arrive(c)
        let ben = dials[1].0
        c.handle(.telephony(.callAnswered(ben)))
        c.handle(.telephony(.mediaActive(ben)))
        c.handle(.telephony(.transferRequested(ben, target: "support")))
        // Someone else calling "support" from elsewhere is an ordinary call, not the transfer.
        arrive(c, 7, to: "support")
        #expect(c.activeCalls == 2)
        // pjsua's referred call: from the local account (no user), this host.
        c.handle(.telephony(.callArrived(IncomingCall(handle: CallHandle(8), sipCallID: "ref", caller: "", dialled: "support", remoteURI: "<sip:127.0.0.1>"))))
        #expect(port.executed.contains(.answer(CallHandle(8), code: 200)))
        #expect(port.executed.contains(.play(CallHandle(1), prompts: ["/prompts/please-hold.wav"], playback: PlaybackID(call: CallHandle(1), sequence: 1_000_001), loop: false)))
        #expect(logs.lines(event: "transfer.accepted").first?.contains("target=\"queue support\"") == true)
        // The agent hangs up after the NOTIFY 200: the caller stays, the referred call ends.
        c.handle(.telephony(.callEnded(ben, code: 200, reason: "Normal call clearing")))
        #expect(port.executed.last == .hangup(CallHandle(8), code: 200))
        #expect(!port.executed.contains(.hangup(CallHandle(1), code: 200)))
        #expect(c.activeCalls == 2)
    }

    @Test func aTransferToANameThePlanLacksIsRefusedWith404AndTheCallStaysWithTheAgent() throws {
        let c = controller()
        arrive(c)
        let ben = dials[1].0
        c.handle(.telephony(.callAnswered(ben)))
        c.handle(.telephony(.transferRequested(ben, target: "nowhere")))
        c.handle(.telephony(.callArrived(IncomingCall(handle: CallHandle(8), sipCallID: "ref", caller: "", dialled: "nowhere", remoteURI: "<sip:127.0.0.1>"))))
        #expect(port.executed.last == .hangup(CallHandle(8), code: 404) || port.executed.contains(.hangup(CallHandle(8), code: 404)))
        #expect(logs.lines(event: "transfer.refused").count == 1)
        c.handle(.telephony(.callEnded(ben, code: 200, reason: "bye")))
        #expect(port.executed.last == .hangup(CallHandle(1), code: 200))
    }

    @Test func aCallFromItselfWithNoPendingTransferIsRefusedNeverRouted() {
        let c = controller()
        c.handle(.telephony(.callArrived(IncomingCall(handle: CallHandle(5), sipCallID: "loop", caller: "", dialled: "5551000", remoteURI: "<sip:127.0.0.1>"))))
        #expect(port.executed == [.hangup(CallHandle(5), code: 404)])
        #expect(c.activeCalls == 0)
    }
}
