/// `GET /api/security` (admin token): the addresses ignored now for failed authentications.
public struct SecurityBody: Codable, Sendable, Equatable {
    /// One blocked address: how many failures blocked it, when, and until when (UTC, ISO 8601).
    public struct Blocked: Codable, Sendable, Equatable {
        public var source: String
        public var failures: Int
        public var blockedAt: String
        public var until: String

        public init(_ block: SourceBlock) {
            source = block.source
            failures = block.failures
            blockedAt = UTCTimestamp.string(unixMilliseconds: block.blockedAtUnixMilliseconds)
            until = UTCTimestamp.string(unixMilliseconds: block.untilUnixMilliseconds)
        }

        enum CodingKeys: String, CodingKey { case source, failures, blockedAt = "blocked_at", until }
    }

    public var blocked: [Blocked]

    public init(blocked: [Blocked]) { self.blocked = blocked }
}
