/// `POST /api/references/REF/reason`: `{"reason": "refunds"}` (a subject some department
/// `handles`), or `{"reason": "other", "text": "a few words"}`.
public struct ReasonRequest: Codable, Sendable, Equatable {
    public var reason: String
    public var text: String?
}
