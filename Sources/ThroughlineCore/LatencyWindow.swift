/// The most recent durations of one kind (nanoseconds), for percentiles on demand: a ring of
/// the last `capacity` samples plus the count ever recorded.
///
/// Recording is O(1) and allocation-free once full, so the controller thread can record every
/// INVITE it sends; summaries sort a copy and are meant for the API's occasional reader.
public struct LatencyWindow: Sendable {
    public struct Summary: Sendable, Equatable {
        /// Samples ever recorded (the percentiles cover only the last `capacity`).
        public var count: Int
        public var p50: UInt64
        public var p99: UInt64
        public var max: UInt64

        public init(count: Int, p50: UInt64, p99: UInt64, max: UInt64) {
            self.count = count
            self.p50 = p50
            self.p99 = p99
            self.max = max
        }
    }

    public let capacity: Int
    private var samples: [UInt64] = []
    private var next = 0
    public private(set) var count = 0

    public init(capacity: Int = 10_000) {
        precondition(capacity > 0)
        self.capacity = capacity
        samples.reserveCapacity(capacity)
    }

    public mutating func record(_ nanoseconds: UInt64) {
        count += 1
        if samples.count < capacity {
            samples.append(nanoseconds)
        } else {
            samples[next] = nanoseconds
            next = (next + 1) % capacity
        }
    }

    /// Nearest-rank percentiles of the samples kept; nil before the first sample.
    public var summary: Summary? {
        guard !samples.isEmpty else { return nil }
        let sorted = samples.sorted()
        func rank(_ p: Double) -> UInt64 {
            // Nearest rank: the smallest sample with at least p of the samples at or below it.
            let index = Int((p * Double(sorted.count)).rounded(.up)) - 1
            return sorted[Swift.max(0, Swift.min(sorted.count - 1, index))]
        }
        return Summary(count: count, p50: rank(0.5), p99: rank(0.99), max: sorted[sorted.count - 1])
    }
}
