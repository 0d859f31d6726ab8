/// What an agent dials from their own phone to set their status, as Asterisk's feature codes:
/// the call is answered, the status is set, a prompt confirms it, and the call ends. The
/// phone is recognised by the address its INVITE came from (the agent's static contact or
/// current registration); from any other address the code is refused (403).
public enum FeatureCode: String, Sendable, CaseIterable {
    case available = "*21"
    case pause = "*22"
    case logOut = "*23"

    public var status: AgentStatus {
        switch self {
        case .available: .available
        case .pause: .paused(reason: "phone")
        case .logOut: .loggedOut
        }
    }

    /// The confirmation said before goodbye.
    public var prompt: String {
        switch self {
        case .available: "agent-available"
        case .pause: "agent-paused"
        case .logOut: "agent-logged-out"
        }
    }
}
