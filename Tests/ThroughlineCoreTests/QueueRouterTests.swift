import Testing
import ThroughlineCore

/// The queue engine, every rule with time driven by the test: skills, preference, priority,
/// strategies, agents in several queues, expansion, max-wait, empty rules, announcements,
/// wrap-up, pass-over after no answer, status, registration, abandonment and reload.
@Suite("Queue engine")
struct QueueRouterTests {
    static let agents = """
    agent ann {
      contact "sip:ann@127.0.0.1:7001"
      skills support=5, french=5
    }
    agent ben {
      contact "sip:ben@127.0.0.1:7002"
      skills support=5
    }
    agent cat {
      contact "sip:cat@127.0.0.1:7003"
      skills support=2
    }
    agent dan {
      login "dan"
      secret "dan-secret-1"
      skills support=5
    }

    """

    func plan(_ queues: String, agents: String = Self.agents) throws -> Dialplan {
        let (plan, diagnostics) = DialplanParser.parse([.init(path: "t", text: agents + queues + "\nroute default -> queue q\n")])
        try #require(!diagnostics.hasErrors, "\(diagnostics)")
        return plan
    }

    func router(_ queues: String, agents: String = Self.agents) throws -> (QueueRouter, Dialplan) {
        let p = try plan(queues, agents: agents)
        return (QueueRouter(plan: p), p)
    }

    func call(_ n: UInt64) -> CallHandle { CallHandle(n) }

    /// The agents offered in `actions` (the first offer).
    func offered(_ actions: [RouterAction]) -> [String] {
        for action in actions { if case .offer(_, let offers, _) = action { return offers.map(\.agent) } }
        return []
    }

    func outcome(_ actions: [RouterAction]) -> QueueOutcome? {
        for action in actions { if case .finished(_, _, let o) = action { return o } }
        return nil
    }

    func join(_ r: inout QueueRouter, _ p: Dialplan, _ n: UInt64, queue: String = "q", priority: Int = 0, at t: Duration) -> [RouterAction] {
        r.callerJoined(call(n), queue: p.queue(queue)!, priority: priority, at: t)
    }

    /// Takes every agent but `keep` out of the way (paused).
    func pauseAll(_ r: inout QueueRouter, but keep: [String]) {
        for name in ["ann", "ben", "cat", "dan"] where !keep.contains(name) {
            _ = r.statusChanged(name, to: .paused(reason: "test"), at: .zero)
        }
    }

    @Test func aCallerNeedingFrenchReachesTheFrenchSpeaker() throws {
        var (r, p) = try router("queue q {\n  require support>=3, french>=4\n}\n")
        let actions = join(&r, p, 1, at: .seconds(1))
        #expect(offered(actions) == ["ann"])
        guard case .offer(_, let offers, let ring) = actions.first else { Issue.record("\(actions)"); return }
        #expect(offers.first?.contact == "sip:ann@127.0.0.1:7001")
        #expect(ring == .seconds(15))
        #expect(r.agent("ann")?.state == .offered(call(1)))
    }

    @Test func preferredSkillsAreOfferedFirst() throws {
        var (r, p) = try router("queue q {\n  require support>=3\n  prefer french>=4\n}\n")
        // ben has been idle longer, but ann meets the preference.
        _ = r.statusChanged("ann", to: .paused(reason: ""), at: .zero)
        _ = r.statusChanged("ann", to: .available, at: .seconds(5))
        #expect(offered(join(&r, p, 1, at: .seconds(6))) == ["ann"])
        #expect(offered(join(&r, p, 2, at: .seconds(7))) == ["ben"])
    }

    @Test func longestIdleSpreadsCallsEvenly() throws {
        var (r, p) = try router("queue q {\n  require support>=1\n  wrap-up 0s\n}\n")
        pauseAll(&r, but: ["ann", "ben", "cat"])
        var counts: [String: Int] = [:]
        for n in 1...30 {
            let t = Duration.seconds(n * 10)
            let who = offered(join(&r, p, UInt64(n), at: t))
            #expect(who.count == 1)
            counts[who[0], default: 0] += 1
            _ = r.offerAnswered(call(UInt64(n)), agent: who[0], at: t + .seconds(1))
            _ = r.callReleased(call(UInt64(n)), at: t + .seconds(5))
        }
        #expect(counts == ["ann": 10, "ben": 10, "cat": 10])
    }

    @Test func longestIdleOffersTheAgentIdleLongest() throws {
        var (r, p) = try router("queue q {\n  require support>=1\n  wrap-up 0s\n}\n")
        pauseAll(&r, but: ["ann", "ben"])
        // ann takes a call and finishes at 20 s: ben (idle since 0) is idle longer.
        _ = r.statusChanged("ben", to: .paused(reason: ""), at: .zero)
        #expect(offered(join(&r, p, 1, at: .seconds(1))) == ["ann"])
        _ = r.offerAnswered(call(1), agent: "ann", at: .seconds(2))
        _ = r.statusChanged("ben", to: .available, at: .seconds(10))
        _ = r.callReleased(call(1), at: .seconds(20))
        #expect(offered(join(&r, p, 2, at: .seconds(21))) == ["ben"])
    }

    @Test func roundRobinFewestCallsRingAllAndRandom() throws {
        // round-robin: each agent in turn, whoever was idle longer.
        var (rr, prr) = try router("queue q {\n  require support>=1\n  strategy round-robin\n  wrap-up 0s\n}\n")
        pauseAll(&rr, but: ["ann", "ben", "cat"])
        var order: [String] = []
        for n in 1...6 {
            let who = offered(join(&rr, prr, UInt64(n), at: .seconds(n)))[0]
            order.append(who)
            _ = rr.offerAnswered(call(UInt64(n)), agent: who, at: .seconds(n))
            _ = rr.callReleased(call(UInt64(n)), at: .seconds(n))
        }
        #expect(order == ["ann", "ben", "cat", "ann", "ben", "cat"])

        // fewest-calls: the agent with fewer answered calls first.
        var (fc, pfc) = try router("queue q {\n  require support>=1\n  strategy fewest-calls\n  wrap-up 0s\n}\n")
        pauseAll(&fc, but: ["ann", "ben"])
        _ = fc.statusChanged("ben", to: .paused(reason: ""), at: .zero)
        for n in 1...2 {
            let who = offered(join(&fc, pfc, UInt64(n), at: .seconds(n)))[0]
            #expect(who == "ann")
            _ = fc.offerAnswered(call(UInt64(n)), agent: who, at: .seconds(n))
            _ = fc.callReleased(call(UInt64(n)), at: .seconds(n))
        }
        _ = fc.statusChanged("ben", to: .available, at: .seconds(50))
        // ann has been idle longer, but ben has taken fewer calls.
        #expect(offered(join(&fc, pfc, 3, at: .seconds(60))) == ["ben"])

        // ring-all: every free eligible agent at once; the first answer wins and frees the rest.
        var (ra, pra) = try router("queue q {\n  require support>=3\n  strategy ring-all\n}\n")
        let all = join(&ra, pra, 1, at: .seconds(1))
        #expect(offered(all) == ["ann", "ben"])
        _ = ra.offerAnswered(call(1), agent: "ben", at: .seconds(2))
        #expect(ra.agent("ann")?.state == .idle)
        #expect(ra.agent("ben")?.state == .talking(call(1)))

        // random: seeded draws; over many calls every agent gets some.
        var (rd, prd) = try router("queue q {\n  require support>=1\n  strategy random\n  wrap-up 0s\n}\n")
        pauseAll(&rd, but: ["ann", "ben", "cat"])
        var seen: [String: Int] = [:]
        for n in 1...60 {
            let who = offered(join(&rd, prd, UInt64(n), at: .seconds(n)))[0]
            seen[who, default: 0] += 1
            _ = rd.offerAnswered(call(UInt64(n)), agent: who, at: .seconds(n))
            _ = rd.callReleased(call(UInt64(n)), at: .seconds(n))
        }
        #expect(seen.count == 3 && seen.values.allSatisfy { $0 >= 8 }, "\(seen)")
    }

    @Test func priorityWeighsAgainstWaitingTime() throws {
        var (r, p) = try router("settings {\n  priority-weight 6s\n}\nqueue q {\n  require support>=3\n}\n")
        pauseAll(&r, but: [])
        _ = join(&r, p, 1, at: .seconds(0))                 // waited longest, priority 0
        _ = join(&r, p, 2, priority: 10, at: .seconds(30))  // priority 10 = 60 s head start
        _ = join(&r, p, 3, priority: 10, at: .seconds(90))  // too late even with it
        #expect(offered(r.statusChanged("ben", to: .available, at: .seconds(100))!) == ["ben"])
        #expect(r.agent("ben")?.state == .offered(call(2)))
    }

    @Test func anAgentInSeveralQueuesGetsTheLongestWaitingCaller() throws {
        var (r, p) = try router("queue q {\n  require support>=3\n}\nqueue fr {\n  require french>=1\n}\n")
        pauseAll(&r, but: [])
        _ = join(&r, p, 1, at: .seconds(5))
        _ = join(&r, p, 2, queue: "fr", at: .seconds(1))
        _ = join(&r, p, 3, at: .seconds(9))
        _ = r.statusChanged("ann", to: .available, at: .seconds(20))
        #expect(r.agent("ann")?.state == .offered(call(2)))
    }

    @Test func expansionLetsALowerSkilledAgentTakeTheCall() throws {
        var (r, p) = try router("queue q {\n  require support>=5\n  expand after 30s require support>=1\n}\n")
        pauseAll(&r, but: ["cat"])
        let first = join(&r, p, 1, at: .zero)
        #expect(offered(first).isEmpty)
        #expect(first.contains(.startTimer(.expand(call(1), step: 1), after: .seconds(30))))
        #expect(r.agent("cat")?.state == .idle)
        #expect(offered(r.timerFired(.expand(call(1), step: 1), at: .seconds(30))) == ["cat"])
    }

    @Test func maxWaitOverflowsToItsTarget() throws {
        var (r, p) = try router("queue q {\n  require support>=3\n  max-wait 2m -> hangup\n}\n")
        pauseAll(&r, but: [])
        #expect(join(&r, p, 1, at: .seconds(10)).contains(.startTimer(.maxWait(call(1)), after: .seconds(120))))
        let actions = r.timerFired(.maxWait(call(1)), at: .seconds(130))
        #expect(outcome(actions) == .overflowed(to: .hangup, wait: .seconds(120)))
        #expect(r.waitingCount == 0)
        #expect(r.queue("q")?.stats.overflowed == 1)
    }

    @Test func joinEmptyAndLeaveEmpty() throws {
        var (r, p) = try router("queue q {\n  require support>=3\n  join-empty no\n  leave-empty yes\n  on-empty -> hangup\n}\n")
        // Paused agents are logged in: callers may join.
        pauseAll(&r, but: [])
        #expect(outcome(join(&r, p, 1, at: .seconds(1))) == nil)
        // The last who could take the call logs out: the caller goes to on-empty.
        _ = r.statusChanged("ann", to: .loggedOut, at: .seconds(2))
        let last = r.statusChanged("ben", to: .loggedOut, at: .seconds(3))!
        #expect(outcome(last) == .empty(to: .hangup, wait: .seconds(2)))
        // Nobody logged in: a new caller is refused at once.
        #expect(outcome(join(&r, p, 2, at: .seconds(4))) == .empty(to: .hangup, wait: .zero))
    }

    @Test func announcementsGivePositionAndAnEstimateOnlyWhenItCanBeTrusted() throws {
        var (r, p) = try router("queue q {\n  require support>=3\n  announce-position every 30s\n  wrap-up 0s\n}\n")
        pauseAll(&r, but: ["ann"])
        // Five calls handled in 100 s each (ann alone).
        for n in 1...5 {
            let t = Duration.seconds(n * 200)
            _ = join(&r, p, UInt64(n), at: t)
            _ = r.offerAnswered(call(UInt64(n)), agent: "ann", at: t)
            _ = r.callReleased(call(UInt64(n)), at: t + .seconds(100))
        }
        _ = r.statusChanged("ann", to: .paused(reason: "x"), at: .seconds(2000))
        // Paused: nobody available, so no estimate, but the position is said.
        let first = join(&r, p, 10, at: .seconds(2001))
        #expect(first.contains(.announce(call(10), position: 1, estimatedWait: nil)))
        #expect(first.contains(.startTimer(.announce(call(10)), after: .seconds(30))))
        _ = join(&r, p, 11, at: .seconds(2002))
        _ = r.statusChanged("ann", to: .available, at: .seconds(2003))  // ann takes call 10
        _ = r.statusChanged("ben", to: .available, at: .seconds(2003))  // ben takes call 11
        _ = join(&r, p, 12, at: .seconds(2004))
        _ = join(&r, p, 13, at: .seconds(2005))
        // Position 2 with two available agents and 100 s handle time: 100 s.
        #expect(r.timerFired(.announce(call(13)), at: .seconds(2035)) == [
            .announce(call(13), position: 2, estimatedWait: .seconds(100)), .startTimer(.announce(call(13)), after: .seconds(30)),
        ])
        // Fewer than five handle times: no estimate.
        var (fresh, fp) = try router("queue q {\n  require support>=3\n  announce-position every 30s\n}\n")
        pauseAll(&fresh, but: [])
        #expect(join(&fresh, fp, 1, at: .zero).contains(.announce(call(1), position: 1, estimatedWait: nil)))
    }

    @Test func wrapUpKeepsTheAgentFromTheNextCallUntilItEnds() throws {
        var (r, p) = try router("queue q {\n  require support>=3\n  wrap-up 20s\n}\n")
        pauseAll(&r, but: ["ann"])
        _ = join(&r, p, 1, at: .zero)
        _ = r.offerAnswered(call(1), agent: "ann", at: .seconds(1))
        #expect(r.callReleased(call(1), at: .seconds(10)).contains(.startTimer(.wrapUpEnds(agent: "ann"), after: .seconds(20))))
        #expect(r.agent("ann")?.state == .wrapUp)
        #expect(offered(join(&r, p, 2, at: .seconds(11))).isEmpty)
        #expect(offered(r.timerFired(.wrapUpEnds(agent: "ann"), at: .seconds(30))) == ["ann"])
    }

    @Test func aRequiredReasonHoldsWrapUpUntilTheAgentGivesItAndNotBeyondItsTime() throws {
        var (r, p) = try router("queue q {\n  require support>=3\n  wrap-up 20s\n  wrap-up-reason yes\n}\n")
        pauseAll(&r, but: ["ann"])
        _ = join(&r, p, 1, at: .zero)
        _ = r.offerAnswered(call(1), agent: "ann", at: .seconds(1))
        _ = r.callReleased(call(1), at: .seconds(10))
        #expect(r.agent("ann")?.reasonOwed == true)
        // The wrap-up time ends, but no reason yet: the waiting caller is not offered.
        #expect(offered(join(&r, p, 2, at: .seconds(11))).isEmpty)
        #expect(r.timerFired(.wrapUpEnds(agent: "ann"), at: .seconds(30)).isEmpty)
        #expect(r.agent("ann")?.state == .wrapUp)
        // The reason frees her at once, and the waiting caller is offered.
        let given = r.reasonGiven("ann", at: .seconds(45))
        #expect(offered(given ?? []) == ["ann"])
        #expect(r.agent("ann")?.reasonOwed == false)
        // A reason given before the wrap-up time ends leaves the timer to free her; a second
        // one changes nothing; an unknown agent is nil.
        _ = r.offerAnswered(call(2), agent: "ann", at: .seconds(46))
        _ = r.callReleased(call(2), at: .seconds(50))
        #expect(r.reasonGiven("ann", at: .seconds(55)) == [.agentChanged("ann")])
        #expect(r.agent("ann")?.state == .wrapUp)
        #expect(r.reasonGiven("ann", at: .seconds(56)) == [])
        _ = r.timerFired(.wrapUpEnds(agent: "ann"), at: .seconds(70))
        #expect(r.agent("ann")?.state == .idle)
        #expect(r.reasonGiven("zed", at: .seconds(71)) == nil)
    }

    @Test func withNoWrapUpTimeARequiredReasonIsTheWholeWrapUp() throws {
        var (r, p) = try router("queue q {\n  require support>=3\n  wrap-up 0s\n  wrap-up-reason yes\n}\n")
        pauseAll(&r, but: ["ann"])
        _ = join(&r, p, 1, at: .zero)
        _ = r.offerAnswered(call(1), agent: "ann", at: .seconds(1))
        #expect(r.callReleased(call(1), at: .seconds(10)) == [.agentChanged("ann")])  // no timer
        #expect(offered(join(&r, p, 2, at: .seconds(11))).isEmpty)
        let given = r.reasonGiven("ann", at: .seconds(12))
        #expect(offered(given ?? []) == ["ann"])
    }

    @Test func anAgentWhoDoesNotAnswerIsPassedOverAndTheNextGetsTheCall() throws {
        var (r, p) = try router("settings {\n  no-answer-delay 45s\n}\nqueue q {\n  require support>=3\n}\n")
        pauseAll(&r, but: ["ann", "ben"])
        #expect(offered(join(&r, p, 1, at: .zero)) == ["ann"])
        let failed = r.offerFailed(call(1), agent: "ann", at: .seconds(15))
        #expect(failed.contains(.startTimer(.holdBackEnds(agent: "ann"), after: .seconds(45))))
        #expect(offered(failed) == ["ben"])
        // ben does not answer either: the caller waits; ann comes back after her pass-over.
        let again = r.offerFailed(call(1), agent: "ben", at: .seconds(30))
        #expect(offered(again).isEmpty)
        #expect(offered(r.timerFired(.holdBackEnds(agent: "ann"), at: .seconds(60))) == ["ann"])
    }

    @Test func aPausedAgentGetsNothingUntilAvailable() throws {
        var (r, p) = try router("queue q {\n  require support>=3\n}\n")
        pauseAll(&r, but: [])
        #expect(offered(join(&r, p, 1, at: .zero)).isEmpty)
        #expect(r.agent("ann")?.status == .paused(reason: "test"))
        #expect(offered(r.statusChanged("ann", to: .available, at: .seconds(3))!) == ["ann"])
        #expect(r.statusChanged("nobody", to: .available, at: .zero) == nil)
    }

    @Test func aRegisteringAgentIsReachedOnlyOnceRegistered() throws {
        var (r, p) = try router("queue q {\n  require support>=3\n}\n")
        pauseAll(&r, but: ["dan"])
        #expect(r.agent("dan")?.contact == nil)
        #expect(offered(join(&r, p, 1, at: .zero)).isEmpty)
        let registered = r.contactChanged("dan", to: "sip:dan@127.0.0.1:7004", at: .seconds(2))!
        guard case .offer(_, let offers, _) = registered.first(where: { if case .offer = $0 { true } else { false } }) else {
            Issue.record("\(registered)"); return
        }
        #expect(offers == [.init(agent: "dan", contact: "sip:dan@127.0.0.1:7004")])
        #expect(r.contactChanged("ann", to: "sip:x@y", at: .zero) == nil)  // ann has a static contact
    }

    @Test func aCallerWhoHangsUpIsAbandonedWithTheirWaitAndTheRingingAgentIsFreed() throws {
        var (r, p) = try router("queue q {\n  require support>=3\n}\n")
        pauseAll(&r, but: [])
        _ = join(&r, p, 1, at: .seconds(3))
        #expect(outcome(r.callReleased(call(1), at: .seconds(10))) == .abandoned(wait: .seconds(7)))
        #expect(r.queue("q")?.stats.abandoned == 1)
        _ = r.statusChanged("ann", to: .available, at: .seconds(11))
        _ = join(&r, p, 2, at: .seconds(12))
        #expect(r.agent("ann")?.state == .offered(call(2)))
        _ = r.callReleased(call(2), at: .seconds(13))
        #expect(r.agent("ann")?.state == .idle)
    }

    @Test func aReloadKeepsStatusesAndPlaces() throws {
        var (r, p) = try router("queue q {\n  require support>=3\n}\n")
        pauseAll(&r, but: [])
        _ = join(&r, p, 1, at: .seconds(1))
        _ = join(&r, p, 2, at: .seconds(2))
        // The new plan raises the bar so only ann qualifies; statuses stay as they were.
        let next = try plan("queue q {\n  require support>=3, french>=1\n}\n")
        _ = r.planChanged(next, at: .seconds(3))
        #expect(r.agent("ann")?.status == .paused(reason: "test"))
        _ = r.statusChanged("ben", to: .available, at: .seconds(4))
        #expect(r.agent("ben")?.state == .idle)  // no longer eligible
        _ = r.statusChanged("ann", to: .available, at: .seconds(5))
        #expect(r.agent("ann")?.state == .offered(call(1)))  // the first caller kept first place
    }
}

extension QueueRouterTests {
    @Test func aRepeatCallerIsOfferedToTheirLastAgentFirstThenToTheQueue() throws {
        var (r, p) = try router("queue q {\n  require support>=3\n}\n")
        pauseAll(&r, but: ["ann", "ben"])
        // ann is busy with another caller; the repeat caller waits for her, not for ben.
        _ = join(&r, p, 1, at: .zero)
        #expect(r.agent("ann")?.state == .offered(call(1)))
        _ = r.offerAnswered(call(1), agent: "ann", at: .seconds(1))
        let repeatCaller = r.callerJoined(call(2), queue: p.queue("q")!, priority: 0, lastAgent: "ann", preferFor: .seconds(30), at: .seconds(2))
        #expect(offered(repeatCaller).isEmpty)
        #expect(repeatCaller.contains(.startTimer(.preferenceEnds(call(2)), after: .seconds(30))))
        #expect(r.agent("ben")?.state == .idle)
        // ann comes free within the 30 s: she gets her caller back.
        _ = r.callReleased(call(1), at: .seconds(10))
        #expect(offered(r.timerFired(.wrapUpEnds(agent: "ann"), at: .seconds(20))) == ["ann"])
        #expect(r.agent("ann")?.state == .offered(call(2)))

        // Another repeat caller whose last agent stays busy goes to the queue after 30 s.
        _ = r.offerAnswered(call(2), agent: "ann", at: .seconds(21))
        _ = r.statusChanged("ben", to: .paused(reason: ""), at: .seconds(21))
        _ = r.callerJoined(call(3), queue: p.queue("q")!, priority: 0, lastAgent: "ann", preferFor: .seconds(30), at: .seconds(22))
        _ = r.statusChanged("ben", to: .available, at: .seconds(23))
        #expect(r.agent("ben")?.state == .idle)  // not for ben yet
        #expect(offered(r.timerFired(.preferenceEnds(call(3)), at: .seconds(52))) == ["ben"])
    }
}
