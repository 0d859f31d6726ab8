/// One event of a reference's journey as pops and webhook bodies carry it. `author` is
/// written as `null` when there is none.
public struct JourneyEventBody: Codable, Sendable, Equatable {
    public var at: String
    public var kind: String
    public var detail: String
    public var author: String?

    public init(at: String, kind: String, detail: String, author: String?) {
        self.at = at
        self.kind = kind
        self.detail = detail
        self.author = author
    }

    enum CodingKeys: String, CodingKey { case at, kind, detail, author }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(at, forKey: .at)
        try c.encode(kind, forKey: .kind)
        try c.encode(detail, forKey: .detail)
        try c.encode(author, forKey: .author)  // null, not absent
    }
}
