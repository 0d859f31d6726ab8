/// `GET /api/metrics`: INVITE latency per trigger, in microseconds.
public struct MetricsBody: Codable, Sendable, Equatable {
    public struct Latency: Codable, Sendable, Equatable {
        public var count: Int
        public var p50: Double
        public var p99: Double
        public var max: Double

        public init(count: Int, p50: Double, p99: Double, max: Double) {
            self.count = count
            self.p50 = p50
            self.p99 = p99
            self.max = max
        }
    }

    public var inviteLatencyMicroseconds: [String: Latency]
    public var calls: Int
    public var handled: Int
    public var legs: Int
    public var inviteLatencyWindow: String

    public init(inviteLatencyMicroseconds: [String: Latency], calls: Int, handled: Int, legs: Int, inviteLatencyWindow: String) {
        self.inviteLatencyMicroseconds = inviteLatencyMicroseconds
        self.calls = calls
        self.handled = handled
        self.legs = legs
        self.inviteLatencyWindow = inviteLatencyWindow
    }

    enum CodingKeys: String, CodingKey {
        case inviteLatencyMicroseconds = "invite_latency_us", calls, handled, legs, inviteLatencyWindow = "invite_latency_window"
    }
}
