/// Request bodies the desk and admin scripts send. Decoding fails (400 with the reason) on a
/// missing field or a field of the wrong type.

/// `POST /api/broadcast`: `{"text": "…", "department": "billing"}` (department optional).
public struct BroadcastRequest: Codable, Sendable, Equatable {
    public var text: String
    public var department: String?

    public init(text: String, department: String?) {
        self.text = text
        self.department = department
    }
}

/// `POST /api/calls/CALL/transfer`: `{"department": "billing"}`.
public struct TransferRequest: Codable, Sendable, Equatable {
    public var department: String
}

/// `POST /api/agents/NAME/status`: `{"status": "paused", "reason": "lunch"}` (reason optional).
public struct AgentStatusRequest: Codable, Sendable, Equatable {
    public var status: String
    public var reason: String?
}
