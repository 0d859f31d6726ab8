/// `POST /api/references/REF/resolve`: an empty body, or `{"note": "refund sent"}`.
public struct ResolveRequest: Codable, Sendable, Equatable {
    public var note: String?
}
