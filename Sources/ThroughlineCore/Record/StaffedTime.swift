/// How long each agent was staffed (status `available`: ready for calls or on one) within a
/// period, from the log of their status changes: the base of occupancy (`docs/metrics.md`).
/// Pure; the store reads the changes (`QueueEventBook.agentStatusChanges`).
public enum StaffedTime {
    /// One status change: `available` true when the agent became available, false for any
    /// other status (paused, logged out, or the controller stopping).
    public struct Change: Sendable, Equatable {
        public var agent: String
        public var at: Int64
        public var available: Bool

        public init(agent: String, at: Int64, available: Bool) {
            self.agent = agent
            self.at = at
            self.available = available
        }
    }

    public struct Key: Sendable, Hashable {
        public var agent: String
        /// The interval's start (nil: the whole period).
        public var slot: Int64?

        public init(agent: String, slot: Int64?) {
            self.agent = agent
            self.slot = slot
        }
    }

    /// Milliseconds staffed per agent (and interval) within `from..<to`. `changes` holds, per
    /// agent, its last change before `from` (the status it was in) and every change in the
    /// period, in time order; an agent with neither was not staffed.
    public static func totals(_ changes: [Change], from: Int64, to: Int64, intervalMs: Int64? = nil) -> [Key: Int64] {
        var out: [Key: Int64] = [:]
        let byAgent = Dictionary(grouping: changes, by: \.agent)
        for (agent, list) in byAgent {
            let sorted = list.sorted { $0.at < $1.at }
            for (i, change) in sorted.enumerated() where change.available {
                let start = max(from, change.at)
                let end = min(to, i + 1 < sorted.count ? sorted[i + 1].at : to)
                guard end > start else { continue }
                var cursor = start
                while cursor < end {
                    let slot = QueueReportBuilder.slot(cursor, intervalMs: intervalMs)
                    let slotEnd = slot.map { min(end, $0 + intervalMs!) } ?? end
                    out[Key(agent: agent, slot: slot), default: 0] += slotEnd - cursor
                    cursor = slotEnd
                }
            }
        }
        return out
    }
}
