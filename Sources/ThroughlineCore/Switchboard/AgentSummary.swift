/// An agent as the wallboard and `GET /api/agents` show them: the status they chose and the
/// state the system has them in (kept apart, as in mod_callcenter), and their queues.
public struct AgentSummary: Sendable, Equatable {
    public var name: String
    public var fullName: String
    public var status: String
    public var reason: String?
    public var state: String
    /// The call the agent is offered or talking on.
    public var call: String?
    public var contact: String?
    public var callsTaken: Int
    public var heldBack: Bool
    public var queues: [String]

    public init(name: String, fullName: String, status: String, reason: String?, state: String, call: String?, contact: String?,
                callsTaken: Int, heldBack: Bool, queues: [String]) {
        self.name = name
        self.fullName = fullName
        self.status = status
        self.reason = reason
        self.state = state
        self.call = call
        self.contact = contact
        self.callsTaken = callsTaken
        self.heldBack = heldBack
        self.queues = queues
    }
}
