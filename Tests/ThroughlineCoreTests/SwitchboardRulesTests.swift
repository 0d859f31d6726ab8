import Testing
import ThroughlineCore

/// Rules that used to live in the controller and are now pure core: which agents a hunt may
/// ring, whose phone a feature code came from, how a referred call finds its REFER, and the one
/// table of agent legs. Time is the test's.
@Suite("Switchboard rules: legs, transfers, phones")
struct SwitchboardRulesTests {
    static let plan = """
    agent ann {
      contact "sip:ann@127.0.0.1:7001"
      skills support=5
    }
    agent dan {
      login "dan"
      secret "dan-secret-1"
      skills support=5
    }
    queue q {
      require support>=1
    }
    route default -> queue q

    """

    func router() throws -> (QueueRouter, Dialplan) {
        let (plan, diagnostics) = DialplanParser.parse([.init(path: "t", text: Self.plan)])
        try #require(!diagnostics.hasErrors, "\(diagnostics)")
        return (QueueRouter(plan: plan), plan)
    }

    @Test func aHuntRingsOnlyAvailableAgentsNotOnAQueueCall() throws {
        var (r, p) = try router()
        #expect(r.agent("ann")?.huntRefusal == nil)
        _ = r.statusChanged("ann", to: .paused(reason: "lunch"), at: .seconds(1))
        #expect(r.agent("ann")?.huntRefusal == "agent paused")
        _ = r.statusChanged("ann", to: .loggedOut, at: .seconds(2))
        #expect(r.agent("ann")?.huntRefusal == "agent logged out")
        _ = r.statusChanged("ann", to: .available, at: .seconds(3))
        _ = r.callerJoined(CallHandle(1), queue: p.queue("q")!, priority: 0, at: .seconds(4))
        #expect(r.agent("ann")?.huntRefusal == "agent busy on a queue call")  // offered the queue call
        // Another node sharing the store has dan on its call: a hunt here does not ring him.
        _ = r.engagedElsewhere("dan", true, at: .seconds(5))
        #expect(r.agent("dan")?.huntRefusal == "agent busy on another node's call")
        _ = r.engagedElsewhere("dan", false, at: .seconds(6))
        #expect(r.agent("dan")?.huntRefusal == nil)
    }

    @Test func aFeatureCodeIsTakenOnlyFromAnAgentsOwnPhone() throws {
        var (r, _) = try router()
        #expect(r.agent(phoneAt: "127.0.0.1:7001") == "ann")
        #expect(r.agent(phoneAt: "127.0.0.1:7009") == nil)
        #expect(r.agent(phoneAt: "127.0.0.1:7004") == nil)  // dan has not registered
        _ = r.contactChanged("dan", to: "sip:dan@127.0.0.1:7004", at: .seconds(1))
        #expect(r.agent(phoneAt: "127.0.0.1:7004") == "dan")
    }

    @Test func aReferredCallClaimsTheOldestTransferToItsTargetWithinTenSeconds() {
        var t = PendingTransfers()
        let leg1 = LegID(call: CallHandle(1), sequence: 0), leg2 = LegID(call: CallHandle(2), sequence: 0)
        t.requested(target: "billing", caller: CallHandle(1), leg: leg1, at: .seconds(100))
        t.requested(target: "billing", caller: CallHandle(2), leg: leg2, at: .seconds(101))
        #expect(t.claim(target: "sales", at: .seconds(102)) == nil)
        #expect(t.claim(target: "billing", at: .seconds(102))?.caller == CallHandle(1))
        #expect(t.claim(target: "billing", at: .seconds(112)) == nil)  // call 2's expired at 111 s
        #expect(t.count == 0)
    }

    @Test func oneLegTableHandsOutHandlesAboveTheAdaptersAndForgetsALegOnce() {
        var legs = LegTable()
        let leg = LegID(call: CallHandle(5), sequence: 1)
        let handle = legs.open(caller: CallHandle(5), leg: leg, member: "ann", offered: nil)
        #expect(handle == CallHandle(LegTable.firstHandle))
        #expect(legs.handle(of: leg) == handle && legs.entry(handle)?.member == "ann" && legs.count == 1)
        #expect(legs.open(caller: CallHandle(6), leg: LegID(call: CallHandle(6), sequence: 1), member: "ben", offered: nil) == CallHandle(LegTable.firstHandle + 1))
        legs.addCarrier(CallHandle(9), for: leg)
        #expect(legs.carriers(of: leg) == [CallHandle(9)] && legs.isCarrier(CallHandle(9)))
        #expect(legs.close(handle)?.caller == CallHandle(5))
        #expect(legs.close(handle) == nil && legs.handle(of: leg) == nil)
        #expect(legs.removeCarrier(CallHandle(9)) && !legs.removeCarrier(CallHandle(9)))
    }
}
