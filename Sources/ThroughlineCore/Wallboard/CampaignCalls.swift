/// Calls that arrived by each campaign's routes in the last hour, a minute at a time: the
/// wallboard's actual against the campaign's `expected` per hour. Pure; the shell adds each
/// arrival with the time.
public struct CampaignCalls: Sendable, Equatable {
    /// Per campaign, per minute start (Unix milliseconds), calls that arrived.
    public private(set) var perMinute: [String: [Int64: Int]] = [:]

    public init() {}

    public mutating func arrived(campaign: String, at now: Int64) {
        perMinute[campaign, default: [:]][Self.minute(now), default: 0] += 1
        prune(now)
    }

    /// Calls in the 60 minutes up to `now` (the current minute included).
    public func lastHour(_ campaign: String, now: Int64) -> Int {
        let from = Self.minute(now) - 59 * 60_000
        return perMinute[campaign]?.reduce(0) { $0 + ($1.key >= from ? $1.value : 0) } ?? 0
    }

    /// The last hour's minutes, oldest first, 60 counts (0 for a minute without calls).
    public func series(_ campaign: String, now: Int64) -> [Int] {
        let last = Self.minute(now)
        let counts = perMinute[campaign] ?? [:]
        return (0..<60).map { counts[last - Int64(59 - $0) * 60_000] ?? 0 }
    }

    mutating func prune(_ now: Int64) {
        let from = Self.minute(now) - 59 * 60_000
        for (name, counts) in perMinute where counts.keys.contains(where: { $0 < from }) {
            perMinute[name] = counts.filter { $0.key >= from }
        }
    }

    static func minute(_ at: Int64) -> Int64 { QueueReportBuilder.start(of: at, every: 60_000) }
}
