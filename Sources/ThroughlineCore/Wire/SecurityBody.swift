/// `GET /api/security` (admin token): the addresses ignored now for failed authentications, and
/// those whose request floods are being shed.
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

    /// One address being shed: the limit per window it went over, and since when (UTC). It is
    /// shed until a whole window passes with no more than the limit from it.
    public struct Shed: Codable, Sendable, Equatable {
        public var source: String
        public var limit: Int
        public var windowSeconds: Int64
        public var since: String

        public init(_ shed: FloodShedding) {
            source = shed.source
            limit = shed.limit
            windowSeconds = shed.window.components.seconds
            since = UTCTimestamp.string(unixMilliseconds: shed.startedAtUnixMilliseconds)
        }

        enum CodingKeys: String, CodingKey { case source, limit, windowSeconds = "window_seconds", since }
    }

    public var blocked: [Blocked]
    public var shed: [Shed]

    public init(blocked: [Blocked], shed: [Shed] = []) {
        self.blocked = blocked
        self.shed = shed
    }
}
