/// Reports over the durable record, pure: events in, figures per group (and per interval)
/// out. The CLI (`throughline report`) and the API read the events from the store and call
/// this; nothing here reads a clock.
public enum QueueReportBuilder {
    /// What a report is grouped by.
    public enum Grouping: String, Sendable, CaseIterable {
        case queue, department, campaign, agent
    }

    /// One row: a group's figures over the period, or over one interval of it.
    public struct Row: Sendable, Equatable {
        public var group: String
        /// The interval's start (Unix milliseconds); nil for the whole period.
        public var intervalStart: Int64?
        public var figures: ReportFigures
    }

    /// The rows for `events`, grouped `by`, sorted by group (then interval). An event outside
    /// a group (no department, no campaign, no agent) counts under `-`, except that agent rows
    /// hold only the events an agent had (answers, conversations). `interval`: also split
    /// the period into intervals of that length (e.g. 15 minutes), aligned to the epoch.
    public static func rows(_ events: [RecordedQueueEvent], by grouping: Grouping, interval: Duration? = nil) -> [Row] {
        let intervalMs = interval.map { $0.components.seconds * 1000 }.flatMap { $0 > 0 ? $0 : nil }
        var table: [String: [Int64?: ReportFigures]] = [:]
        for e in events {
            let group: String
            switch grouping {
            case .queue: group = e.record.queue
            case .department: group = e.record.department ?? "-"
            case .campaign: group = e.record.campaign ?? "-"
            case .agent:
                guard let agent = e.record.agent else { continue }
                group = agent
            }
            let slot: Int64? = intervalMs.map { e.at - ((e.at % $0) + $0) % $0 }
            table[group, default: [:]][slot, default: ReportFigures()].add(e.record)
        }
        return table.keys.sorted().flatMap { group in
            table[group]!.map { Row(group: group, intervalStart: $0.key, figures: $0.value) }
                .sorted { ($0.intervalStart ?? 0) < ($1.intervalStart ?? 0) }
        }
    }
}
