/// An agent as `GET /api/agents`, `GET /api/agents/NAME` and the desk's `hello` show them:
/// status (what they chose) apart from state (what the system is doing with them).
/// `reason`, `call` and `contact` are written as `null` when absent.
public struct AgentBody: Codable, Sendable, Equatable {
    public var agent: String
    public var name: String
    public var status: String
    @Nullable public var reason: String?
    public var state: String
    @Nullable public var call: String?
    @Nullable public var contact: String?
    public var reachable: Bool
    public var callsTaken: Int
    public var heldBack: Bool
    public var queues: [String]
    /// In wrap-up until they name the last call's reason (`wrap-up-reason yes`).
    public var reasonOwed: Bool
    /// On a call of another node sharing the store: not offered from this one meanwhile.
    public var engagedElsewhere: Bool

    public init(agent: String, name: String, status: String, reason: String?, state: String, call: String?, contact: String?,
                callsTaken: Int, heldBack: Bool, queues: [String], reasonOwed: Bool = false, engagedElsewhere: Bool = false) {
        self.reasonOwed = reasonOwed
        self.engagedElsewhere = engagedElsewhere
        self.agent = agent
        self.name = name
        self.status = status
        self.reason = reason
        self.state = state
        self.call = call
        self.contact = contact
        self.reachable = contact != nil
        self.callsTaken = callsTaken
        self.heldBack = heldBack
        self.queues = queues
    }

    enum CodingKeys: String, CodingKey {
        case agent, name, status, reason, state, call, contact, reachable, callsTaken = "calls_taken", heldBack = "held_back", queues, reasonOwed = "reason_owed"
        case engagedElsewhere = "engaged_elsewhere"
    }
}
