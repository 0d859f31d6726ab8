/// One event of a reference's journey as pops and webhook bodies carry it. `author` is
/// written as `null` when there is none.
public struct JourneyEventBody: Codable, Sendable, Equatable {
    public var at: String
    public var kind: String
    public var detail: String
    @Nullable public var author: String?

    public init(at: String, kind: String, detail: String, author: String?) {
        self.at = at
        self.kind = kind
        self.detail = detail
        self.author = author
    }
}
