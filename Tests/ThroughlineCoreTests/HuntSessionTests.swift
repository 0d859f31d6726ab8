import Testing
import ThroughlineCore

/// Hunt groups, with time driven by the test.
@Suite("Hunt engine")
struct HuntSessionTests {
    let call = CallHandle(9)
    let contacts = ["ann": "sip:ann@h", "ben": "sip:ben@h", "cat": "sip:cat@h"]

    func hunt(_ mode: Hunt.Mode, members: [String] = ["ann", "ben", "cat"], ring: Duration = .seconds(20)) -> Hunt {
        var h = Hunt(name: Located("ops", at: SourceLocation(file: "t", line: 1, column: 1)))
        h.mode = mode
        h.ring = ring
        h.addEvery = .seconds(5)
        h.members = members.map { Located($0, at: SourceLocation(file: "t", line: 1, column: 1)) }
        h.onNoAnswer = Located(.queue("support"), at: SourceLocation(file: "t", line: 1, column: 1))
        return h
    }

    func leg(_ n: UInt32) -> LegID { LegID(call: call, sequence: n) }
    func timer(_ n: UInt32) -> IVRTimer { IVRTimer(call: call, sequence: 2_000_000 + n) }
    func dials(_ actions: [HuntAction]) -> [String] {
        actions.compactMap { if case .dial(_, let member, _) = $0 { member } else { nil } }
    }

    @Test func simultaneousRingsAllAndTheFirstAnswerWinsTheOthersAreCancelled() {
        var h = HuntSession(hunt: hunt(.simultaneous), call: call, contacts: contacts)
        let start = h.start(at: .zero)
        #expect(dials(start) == ["ann", "ben", "cat"])
        #expect(start.first == .startTimer(timer(0), after: .seconds(20)))
        let answered = h.legAnswered(leg(1), at: .seconds(3))
        #expect(answered == [.drop(leg(0)), .drop(leg(2)), .cancelTimer(timer(0)), .bridge(leg(1)), .note("ben answered"),
                             .finished(.answered(by: "ben", leg: leg(1)))])
        // A second answer that crossed the CANCEL is hung up.
        #expect(h.legAnswered(leg(2), at: .seconds(3)) == [.drop(leg(2))])
    }

    @Test func simultaneousEndsAtOnNoAnswerWhenAllFailOrTheRingTimeIsUp() {
        var h = HuntSession(hunt: hunt(.simultaneous), call: call, contacts: contacts)
        _ = h.start(at: .zero)
        _ = h.legFailed(leg(0), code: 486, reason: "Busy Here", at: .seconds(1))
        _ = h.legFailed(leg(1), code: 603, reason: "Decline", at: .seconds(1))
        #expect(h.legFailed(leg(2), code: 404, reason: "Not Found", at: .seconds(1)).suffix(2) == [.cancelTimer(timer(0)), .finished(.noAnswer(then: .queue("support")))])

        var t = HuntSession(hunt: hunt(.simultaneous), call: call, contacts: contacts)
        _ = t.start(at: .zero)
        let up = t.timerFired(timer(0), at: .seconds(20))
        #expect(up.prefix(3) == [.drop(leg(0)), .drop(leg(1)), .drop(leg(2))])
        #expect(up.last == .finished(.noAnswer(then: .queue("support"))))
    }

    @Test func sequentialRingsInOrderMovingOnAtFailureOrRingTime() {
        var h = HuntSession(hunt: hunt(.sequential, ring: .seconds(10)), call: call, contacts: contacts)
        #expect(h.start(at: .zero) == [.dial(leg(0), member: "ann", contact: "sip:ann@h"), .startTimer(timer(0), after: .seconds(10))])
        // ann is busy: ben at once.
        #expect(h.legFailed(leg(0), code: 486, reason: "Busy Here", at: .seconds(1)) == [
            .note("ann: 486 Busy Here"), .cancelTimer(timer(0)), .dial(leg(1), member: "ben", contact: "sip:ben@h"), .startTimer(timer(1), after: .seconds(10)),
        ])
        // ben rings out: dropped (CANCEL), cat next.
        #expect(h.timerFired(timer(1), at: .seconds(11)) == [
            .drop(leg(1)), .note("ben: no answer in 10s"), .dial(leg(2), member: "cat", contact: "sip:cat@h"), .startTimer(timer(2), after: .seconds(10)),
        ])
        #expect(h.legAnswered(leg(2), at: .seconds(13)).last == .finished(.answered(by: "cat", leg: leg(2))))
    }

    @Test func sequentialSkipsMembersWithNoContactAndEndsAfterTheLast() {
        var h = HuntSession(hunt: hunt(.sequential, members: ["zed", "ann"]), call: call, contacts: contacts)
        let start = h.start(at: .zero)
        #expect(start.first == .note("zed: not reachable (no contact, not registered)"))
        #expect(dials(start) == ["ann"])
        let end = h.legFailed(leg(0), code: 480, reason: "Temporarily Unavailable", at: .seconds(2))
        #expect(end.last == .finished(.noAnswer(then: .queue("support"))))
    }

    @Test func progressiveAddsAMemberEveryStepAndKeepsEarlierOnesRinging() {
        var h = HuntSession(hunt: hunt(.progressive), call: call, contacts: contacts)
        #expect(dials(h.start(at: .zero)) == ["ann"])
        #expect(dials(h.timerFired(timer(1), at: .seconds(5))) == ["ben"])
        #expect(h.ringing.count == 2)
        #expect(dials(h.timerFired(timer(2), at: .seconds(10))) == ["cat"])
        #expect(h.ringing.count == 3)
        let answered = h.legAnswered(leg(0), at: .seconds(12))
        #expect(answered.prefix(2) == [.drop(leg(1)), .drop(leg(2))])
    }

    @Test func progressiveAddsTheNextAtOnceWhenNobodyIsLeftRinging() {
        var h = HuntSession(hunt: hunt(.progressive), call: call, contacts: contacts)
        _ = h.start(at: .zero)
        #expect(dials(h.legFailed(leg(0), code: 503, reason: "Service Unavailable", at: .seconds(1))) == ["ben"])
    }

    @Test func theCallerHangingUpCancelsEveryRingingLeg() {
        var h = HuntSession(hunt: hunt(.simultaneous), call: call, contacts: contacts)
        _ = h.start(at: .zero)
        #expect(h.callerHungUp(at: .seconds(2)) == [.drop(leg(0)), .drop(leg(1)), .drop(leg(2)), .cancelTimer(timer(0)), .finished(.callerLeft)])
        #expect(h.legAnswered(leg(0), at: .seconds(3)) == [.drop(leg(0))])
    }
}
