/// `POST /api/agents/NAME/status`: `{"status": "paused", "reason": "lunch"}` (reason optional).
public struct AgentStatusRequest: Codable, Sendable, Equatable {
    public var status: String
    public var reason: String?
}
