import Controller
import Foundation
import Store
import TestSupport
import Testing
import ThroughlineCore

/// Two nodes on one PostgreSQL store pick the same free agent at the same moment: the node
/// whose claim the store refuses sends no INVITE to her, learns she is on the other node's
/// call, does not pass her over, and offers its caller the next free agent. (A real store; a
/// fake telephony port.)
@Suite("CallController: an agent's claim on a shared store")
struct AgentClaimTests {
    static let plan = """
    agent ann {
      contact "sip:ann@10.0.0.1"
      skills s=1
    }
    agent ben {
      contact "sip:ben@10.0.0.2"
      skills s=1
    }
    route default -> queue support
    queue support {
      no-answer-delay 60s
    }
    """

    @Test func anAgentAnotherNodeClaimedFirstIsNotDialledAndTheCallerGetsTheNextAgent() throws {
        let scratch = try ScratchStore(.postgresql)
        let mine = try scratch.open(), theirs = try scratch.open()
        try mine.setNode("A")
        try theirs.setNode("B")
        let now = Date().unixMilliseconds
        try mine.announce(ClusterNode(name: "A", planHash: "h", seenAt: now))
        try theirs.announce(ClusterNode(name: "B", planHash: "h", seenAt: now))
        // Node B offered ann a call a moment ago; node A has not read it yet.
        #expect(try theirs.claimEngagement(agent: "ann", node: "B", at: now, liveSince: now - 6_000) == nil)

        let port = FakeTelephonyPort(), logs = LogCapture(), clock = ManualClock(), board = StatusBoard()
        let c = CallController(port: port, logger: logs.logger(), plan: TestPlans.loaded(Self.plan), board: board, clock: clock.reader)
        c.ownAddress = "127.0.0.1:5060"
        c.engagements = EngagementPublisher(book: mine, node: "A", logger: logs.logger())
        c.handle(.telephony(.callArrived(IncomingCall(handle: CallHandle(1), sipCallID: "cid-1", caller: "5551234", dialled: "5551000",
                                                      remoteURI: "<sip:5551234@10.9.9.9>"))))
        c.handle(.telephony(.mediaActive(CallHandle(1))))

        let dialled = port.executed.compactMap { if case .dial(_, let to, _, _, _) = $0 { to } else { nil } }
        #expect(dialled == ["sip:ben@10.0.0.2"], "ann (idle longest) was B's: ben is offered instead")
        #expect(logs.lines(event: "leg.failed").contains { $0.contains("member=ann") && $0.contains("ann is on a call of B") })
        #expect(logs.lines(event: "agent.engaged-elsewhere").contains { $0.contains("agent=ann") && $0.contains("node=B") })
        let ann = try #require(board.agent("ann"))
        #expect(ann.engagedElsewhere && !ann.heldBack && ann.state == "idle", "not passed over for another node's offer: \(ann)")
        // A has ben now, in the store: B's claim on him is refused in turn.
        #expect(try theirs.claimEngagement(agent: "ben", node: "B", at: now, liveSince: now - 6_000) == "A")
    }
}
