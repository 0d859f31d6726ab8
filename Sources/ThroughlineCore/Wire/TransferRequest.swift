/// `POST /api/calls/CALL/transfer`: `{"department": "billing"}`.
public struct TransferRequest: Codable, Sendable, Equatable {
    public var department: String
}
