/// What the rest of the switchboard asks the queue engine about agents' phones: whether a hunt
/// may ring one, and whose phone a call came from. Pure: the answers depend only on the
/// engine's agents (status, state, registration).
extension QueueRouter.AgentSnapshot {
    /// Why a hunt must not ring this agent now, or nil when it may: hunts ring only agents
    /// who are available and not already on, or being offered, a queue call (this node's or,
    /// on a shared store, another node's).
    public var huntRefusal: String? {
        switch (status, state) {
        case (.paused, _): "agent paused"
        case (.loggedOut, _): "agent logged out"
        case (_, .talking), (_, .offered): "agent busy on a queue call"
        default: engagedElsewhere ? "agent busy on another node's call" : nil
        }
    }
}

extension QueueRouter {
    /// The agent whose phone is at `source` (`HOST:PORT` a SIP request came from), by its
    /// static contact or current registration; nil when it is no agent's. Feature codes
    /// (`*21`…) are taken only from an agent's own phone.
    public func agent(phoneAt source: String) -> String? {
        agentNames.first { name in
            guard let contact = agent(name)?.contact else { return false }
            return SIPURI.hostPort(of: contact) == source
        }
    }
}
