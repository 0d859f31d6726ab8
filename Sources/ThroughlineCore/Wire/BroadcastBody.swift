/// A marquee message on the desks (`broadcast` event): its text, the department it is for
/// (`null`: everyone), who sent it and when.
public struct BroadcastBody: Codable, Sendable, Equatable {
    public var text: String
    public var department: String?
    public var from: String
    public var at: String

    public init(text: String, department: String?, from: String, at: String) {
        self.text = text
        self.department = department
        self.from = from
        self.at = at
    }

    enum CodingKeys: String, CodingKey { case text, department, from, at }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(text, forKey: .text)
        try c.encode(department, forKey: .department)
        try c.encode(from, forKey: .from)
        try c.encode(at, forKey: .at)
    }
}
