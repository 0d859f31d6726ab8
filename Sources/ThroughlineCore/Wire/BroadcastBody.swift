/// A marquee message on the desks (`broadcast` event): its text, the department it is for
/// (`null`: everyone), who sent it and when.
public struct BroadcastBody: Codable, Sendable, Equatable {
    public var text: String
    @Nullable public var department: String?
    public var from: String
    public var at: String

    public init(text: String, department: String?, from: String, at: String) {
        self.text = text
        self.department = department
        self.from = from
        self.at = at
    }
}
