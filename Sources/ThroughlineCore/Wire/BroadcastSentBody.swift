/// The answer to `POST /api/broadcast`: the text sent, the department (`null`: every desk) and
/// how many desks it reached.
public struct BroadcastSentBody: Codable, Sendable, Equatable {
    public var text: String
    @Nullable public var department: String?
    public var desks: Int

    public init(text: String, department: String?, desks: Int) {
        self.text = text
        self.department = department
        self.desks = desks
    }
}
