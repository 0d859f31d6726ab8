/// What an agent chose (as in mod_callcenter's status): set from the HTTP API or the agent's
/// phone by feature code. Separate from `AgentState`, which is what the system is doing with
/// them. Only an `available` agent is offered calls.
public enum AgentStatus: Sendable, Hashable, CustomStringConvertible {
    case available
    case paused(reason: String)
    case loggedOut

    /// `available`, `paused` or `logged-out`: the word the API and the logs use.
    public var word: String {
        switch self {
        case .available: "available"
        case .paused: "paused"
        case .loggedOut: "logged-out"
        }
    }

    public var reason: String? {
        if case .paused(let reason) = self { return reason }
        return nil
    }

    public var description: String {
        if case .paused(let reason) = self, !reason.isEmpty { return "paused (\(reason))" }
        return word
    }

    /// Reads the API's `{"status": …, "reason": …}`; nil for an unknown word. A reason is
    /// kept only for `paused` (default "paused"); it is at most 100 characters.
    public init?(word: String, reason: String? = nil) {
        switch word {
        case "available": self = .available
        case "paused": self = .paused(reason: String((reason ?? "").prefix(100)))
        case "logged-out", "logged_out", "loggedout": self = .loggedOut
        default: return nil
        }
    }
}
