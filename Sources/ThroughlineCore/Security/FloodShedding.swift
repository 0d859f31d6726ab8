/// An address whose requests are being dropped for sending too many (`FloodMeter`): what the
/// `security.flood` and `security.flood-ended` log lines and `GET /api/security` say about it.
public struct FloodShedding: Sendable, Hashable {
    /// The IP address (without port).
    public var source: String
    /// The plan's limit it went over, and the window the limit counts.
    public var limit: Int
    public var window: Duration
    /// When shedding began, on the wall clock (Unix milliseconds).
    public var startedAtUnixMilliseconds: Int64

    public init(source: String, limit: Int, window: Duration, startedAtUnixMilliseconds: Int64) {
        self.source = source
        self.limit = limit
        self.window = window
        self.startedAtUnixMilliseconds = startedAtUnixMilliseconds
    }
}
