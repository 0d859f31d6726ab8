import Testing
import ThroughlineCore

/// The queue engine's rule for agents another node sharing the store has on a call: not
/// offered here while engaged there; freed, they take the longest-waiting caller they can
/// serve. (Which agents are engaged where is read from the store by the controller.)
@Suite("Queue engine: agents engaged on another node")
struct QueueRouterClusterTests {
    let base = QueueRouterTests()

    @Test func anAgentEngagedOnAnotherNodeIsPassedOverUntilFreedThenTakesTheWaitingCaller() throws {
        var (r, p) = try base.router("queue q {\n  require support>=5\n  wrap-up 0s\n}\n")
        base.pauseAll(&r, but: ["ann", "ben"])
        let engaged = r.engagedElsewhere("ann", true, at: .seconds(1))
        #expect(engaged?.contains(.agentChanged("ann")) == true)
        #expect(r.agent("ann")?.engagedElsewhere == true && r.agent("ann")?.state == .idle)
        // ann has been idle longest, but is on node B's call: ben is offered.
        #expect(base.offered(base.join(&r, p, 1, at: .seconds(2))) == ["ben"])
        // The second caller waits: nobody free here.
        #expect(base.offered(base.join(&r, p, 2, at: .seconds(3))).isEmpty)
        #expect(r.queue("q")?.waiting == 1)
        // Saying it again changes nothing.
        let again = r.engagedElsewhere("ann", true, at: .seconds(4))
        #expect(again == [])
        // Node B frees ann: she takes the waiting caller at once.
        let released = r.engagedElsewhere("ann", false, at: .seconds(5))
        let freed = try #require(released)
        #expect(base.offered(freed) == ["ann"])
        #expect(r.agent("ann")?.state == .offered(base.call(2)))
        let unknown = r.engagedElsewhere("zed", true, at: .seconds(6))
        #expect(unknown == nil, "an agent the plan does not have")
    }

    /// This node offered ann a call, but another node had claimed her a moment before (the
    /// store refused this node's claim): she is engaged there, and the failed offer does not
    /// pass her over here; freed there, she takes this node's caller at once.
    @Test func anOfferAnotherNodeBeatIsNotTheAgentsFailingAndSheIsFreeWhenThatNodeFreesHer() throws {
        var (r, p) = try base.router("queue q {\n  require support>=5\n  no-answer-delay 60s\n}\n")
        base.pauseAll(&r, but: ["ann"])
        #expect(base.offered(base.join(&r, p, 1, at: .seconds(1))) == ["ann"])
        _ = r.engagedElsewhere("ann", true, at: .seconds(1))
        let failed = r.offerFailed(base.call(1), agent: "ann", at: .seconds(1))
        #expect(!failed.contains { if case .startTimer(.holdBackEnds, _) = $0 { true } else { false } }, "\(failed)")
        #expect(r.agent("ann")?.heldBackUntil == nil && r.queue("q")?.waiting == 1)
        let freed = r.engagedElsewhere("ann", false, at: .seconds(3)) ?? []
        #expect(base.offered(freed) == ["ann"])
    }
}
