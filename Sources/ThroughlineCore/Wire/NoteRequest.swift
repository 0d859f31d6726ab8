/// `POST /api/references/REF/notes`: `{"text": "…"}`.
public struct NoteRequest: Codable, Sendable, Equatable {
    public var text: String
}
