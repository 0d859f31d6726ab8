/// `POST /api/broadcast`: `{"text": "…", "department": "billing"}` (department optional).
public struct BroadcastRequest: Codable, Sendable, Equatable {
    public var text: String
    public var department: String?

    public init(text: String, department: String?) {
        self.text = text
        self.department = department
    }
}
