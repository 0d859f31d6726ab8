/// `POST /api/references/REF/handoff`: `{"department": "billing", "note": "…", "due": "2d"}`
/// (`due` optional: the department's `handoff-due` then).
public struct HandoffRequest: Codable, Sendable, Equatable {
    public var department: String
    public var note: String
    public var due: String?
}
