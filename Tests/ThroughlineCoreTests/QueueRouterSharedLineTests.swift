import Testing
import ThroughlineCore

/// One line across the nodes of a cluster: callers waiting on other nodes (read from the store
/// by the controller) are weighed with this node's own, and an agent who should go to one of
/// them is held for that node instead of being offered here.
@Suite("Queue engine: one line across nodes")
struct QueueRouterSharedLineTests {
    let base = QueueRouterTests()

    func remote(_ id: String, queue: String = "q", joined: Duration, rank: Duration? = nil, agent: String? = nil) -> RemoteCaller {
        RemoteCaller(id: id, queue: queue, joinedAt: joined, rankAt: rank ?? joined, agent: agent)
    }

    /// The agent chose available; the plan has them.
    func available(_ r: inout QueueRouter, _ agent: String, at t: Duration) -> [RouterAction] {
        r.statusChanged(agent, to: .available, at: t) ?? [.agentChanged("not in the plan")]
    }

    func engaged(_ r: inout QueueRouter, _ agent: String, _ engaged: Bool, at t: Duration) -> [RouterAction] {
        r.engagedElsewhere(agent, engaged, at: t) ?? [.agentChanged("not in the plan")]
    }

    func held(_ actions: [RouterAction]) -> [String: String?] {
        var held: [String: String?] = [:]
        for case .heldForAnotherNode(let agent, let caller) in actions { held[agent] = caller }
        return held
    }

    @Test func anAgentFreedHereGoesToTheOlderCallerOnAnotherNodeAndNewerLocalCallersWait() throws {
        var (r, p) = try base.router("queue q {\n  require support>=5\n  wrap-up 0s\n}\n")
        base.pauseAll(&r, but: [])
        // B's caller joined at 1 s; ours at 2 s and 3 s.
        #expect(r.remoteWaitersChanged([remote("B/7", joined: .seconds(1))], at: .seconds(1)).isEmpty, "nobody free to hold")
        _ = base.join(&r, p, 1, at: .seconds(2))
        _ = base.join(&r, p, 2, at: .seconds(3))
        // ann comes free: B's caller has waited longest, so B offers her; she is held here.
        let freed = available(&r, "ann", at: .seconds(4))
        #expect(base.offered(freed).isEmpty)
        #expect(held(freed) == ["ann": "B/7"])
        #expect(r.agent("ann")?.state == .idle && r.queue("q")?.waiting == 2)
        // B offered her (its engagement read here): she is no longer held, and not free.
        let taken = engaged(&r, "ann", true, at: .seconds(5))
        #expect(base.offered(taken).isEmpty)
        // B's caller is gone from B's line; B frees ann: our first caller is hers.
        #expect(r.remoteWaitersChanged([], at: .seconds(6)).isEmpty)
        let released = engaged(&r, "ann", false, at: .seconds(7))
        #expect(base.offered(released) == ["ann"])
        #expect(r.agent("ann")?.state == .offered(base.call(1)))
    }

    @Test func aLocalCallerWhoWaitedLongerIsOfferedAndAHeldAgentIsReleasedWhenTheLineChanges() throws {
        var (r, p) = try base.router("queue q {\n  require support>=5\n}\n")
        base.pauseAll(&r, but: [])
        _ = base.join(&r, p, 1, at: .seconds(1))
        _ = r.remoteWaitersChanged([remote("B/7", joined: .seconds(2))], at: .seconds(2))
        // Ours came first: ann is offered here.
        #expect(base.offered(available(&r, "ann", at: .seconds(3))) == ["ann"])
        // ben comes free: B's caller is older than anyone left here, so ben is held for it.
        _ = base.join(&r, p, 2, at: .seconds(4))
        #expect(held(available(&r, "ben", at: .seconds(5))) == ["ben": "B/7"])
        // B's caller hung up: the next read releases ben to our waiting caller.
        let changed = r.remoteWaitersChanged([], at: .seconds(6))
        #expect(base.offered(changed) == ["ben"])
        #expect(held(changed)["ben"] == .some(nil), "ben is no longer held")
        #expect(r.agent("ben")?.state == .offered(base.call(2)))
    }

    @Test func aFreeAgentIsHeldWhenAnotherNodesCallerTheyCanServeAppearsAndSkillsAndExpansionCount() throws {
        var (r, p) = try base.router("queue q {\n  require support>=5\n  expand after 30s require support>=1\n}\n")
        base.pauseAll(&r, but: ["cat"])
        #expect(r.agent("cat")?.state == .idle)
        // B's caller, 10 s in: cat (support 2) is not admitted until the 30 s expansion.
        #expect(held(r.remoteWaitersChanged([remote("B/7", joined: .seconds(0))], at: .seconds(10))).isEmpty)
        // Our caller joining now may take cat: nobody before them can.
        _ = base.join(&r, p, 1, at: .seconds(11))
        #expect(r.agent("cat")?.state == .idle, "not admitted yet for ours either")
        // 31 s: the next read finds B's caller (the older) admits cat: held for them.
        let later = r.remoteWaitersChanged([remote("B/7", joined: .seconds(0)), remote("B/8", joined: .seconds(20))], at: .seconds(31))
        #expect(held(later) == ["cat": "B/7"])
        // The same line read again says nothing new.
        #expect(r.remoteWaitersChanged([remote("B/7", joined: .seconds(0)), remote("B/8", joined: .seconds(20))], at: .seconds(33)).isEmpty)
    }

    @Test func aCallerWaitingOnAnotherNodeForTheirLastAgentHoldsOnlyThatAgentAndPriorityCounts() throws {
        var (r, p) = try base.router("settings {\n  priority-weight 6s\n}\nqueue q {\n  require support>=5\n}\n")
        base.pauseAll(&r, but: [])
        // B's repeat caller waits for ben only; B's other caller ranks ahead by priority.
        _ = r.remoteWaitersChanged([remote("B/7", joined: .seconds(1), agent: "ben"),
                                    remote("B/8", joined: .seconds(9), rank: .seconds(3))], at: .seconds(9))
        _ = base.join(&r, p, 1, at: .seconds(5))
        // ann: B/7 is not hers; B/8 (rank 3 s) is before ours (5 s): held for B/8.
        #expect(held(available(&r, "ann", at: .seconds(10))) == ["ann": "B/8"])
        #expect(held(available(&r, "ben", at: .seconds(10))) == ["ben": "B/7"])
    }

    @Test func theCallersWaitingHereAreListedInOrderWithoutThoseBeingOfferedAndTheGenerationMoves() throws {
        var (r, p) = try base.router("settings {\n  priority-weight 6s\n}\nqueue q {\n  require support>=5\n}\n")
        base.pauseAll(&r, but: ["ann"])
        let before = r.waitingGeneration
        #expect(base.offered(base.join(&r, p, 1, at: .seconds(1))) == ["ann"])
        _ = base.join(&r, p, 2, at: .seconds(2))
        _ = base.join(&r, p, 3, priority: 1, at: .seconds(5))
        #expect(r.waitingGeneration > before)
        // Caller 1 rings ann: not listed. Caller 3's priority puts them (rank -1 s) first.
        #expect(r.localWaiters.map(\.call) == [base.call(3), base.call(2)])
        #expect(r.localWaiters.first?.rankAt == .seconds(-1) && r.localWaiters.first?.joinedAt == .seconds(5))
        let generation = r.waitingGeneration
        _ = r.callReleased(base.call(2), at: .seconds(6))
        #expect(r.waitingGeneration != generation)
        #expect(r.localWaiters.map(\.call) == [base.call(3)])
    }
}
