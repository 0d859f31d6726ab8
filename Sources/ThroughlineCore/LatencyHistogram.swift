/// Cumulative counts of latencies by bucket since start, with their sum: what a Prometheus
/// histogram exposes (`GET /metrics`). Recording is a short linear scan of 12 bounds.
public struct LatencyHistogram: Sendable, Equatable {
    /// Upper bounds in nanoseconds: 0.25 ms to 1 s.
    public static let bounds: [UInt64] = [250_000, 500_000, 1_000_000, 2_000_000, 5_000_000, 10_000_000, 25_000_000,
                                          50_000_000, 100_000_000, 250_000_000, 500_000_000, 1_000_000_000]

    /// Per bound, how many were at most it (not cumulative; `cumulative` adds them up).
    public private(set) var counts = [UInt64](repeating: 0, count: LatencyHistogram.bounds.count)
    public private(set) var count: UInt64 = 0
    public private(set) var sumNanoseconds: UInt64 = 0

    public init() {}

    public mutating func record(_ nanoseconds: UInt64) {
        count += 1
        sumNanoseconds &+= nanoseconds
        if let i = Self.bounds.firstIndex(where: { nanoseconds <= $0 }) { counts[i] += 1 }
    }

    /// Per bound, how many were at most it (Prometheus' `le` buckets).
    public var cumulative: [UInt64] {
        var total: UInt64 = 0
        return counts.map { total += $0; return total }
    }
}
