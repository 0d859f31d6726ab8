/// A source address ignored for a while after too many failed authentications
/// (`SourceGuard`): what the `security.blocked` and `security.unblocked` log lines and
/// `GET /api/security` say about it.
public struct SourceBlock: Sendable, Hashable {
    /// The IP address (without port: a guesser changes ports, not machines).
    public var source: String
    /// Failed authentications counted within the window when the block began.
    public var failures: Int
    /// How long the source is ignored.
    public var duration: Duration
    /// When the block began, on the wall clock (Unix milliseconds), for people reading it.
    public var blockedAtUnixMilliseconds: Int64

    public init(source: String, failures: Int, duration: Duration, blockedAtUnixMilliseconds: Int64) {
        self.source = source
        self.failures = failures
        self.duration = duration
        self.blockedAtUnixMilliseconds = blockedAtUnixMilliseconds
    }

    /// When the block ends, on the wall clock (Unix milliseconds).
    public var untilUnixMilliseconds: Int64 {
        blockedAtUnixMilliseconds + Int64(duration.clampedNanoseconds / 1_000_000)
    }
}
