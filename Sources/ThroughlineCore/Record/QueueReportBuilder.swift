/// Reports over the durable record, pure: totals in, figures per group (and per interval)
/// out. The CLI (`throughline report`) and the API have the store sum the events in SQL
/// (`QueueEventBook.queueEventTotals`, so a report over millions of events reads a few rows)
/// and call `rows(_:)`; `totals(_:by:interval:)` is the same summing in memory, for tests and
/// as the definition the store's SQL is checked against. Nothing here reads a clock.
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

        public init(group: String, intervalStart: Int64?, figures: ReportFigures) {
            self.group = group
            self.intervalStart = intervalStart
            self.figures = figures
        }
    }

    /// The interval an event at `at` falls in, aligned to the epoch (nil: no split).
    public static func slot(_ at: Int64, intervalMs: Int64?) -> Int64? {
        intervalMs.map { start(of: at, every: $0) }
    }

    /// The start of the `unit`-long stretch, aligned to the epoch, that `at` falls in (Unix
    /// milliseconds; times before 1970 too): quarter hours, minutes, UTC days.
    public static func start(of at: Int64, every unit: Int64) -> Int64 { at - ((at % unit) + unit) % unit }

    /// A report's interval in whole milliseconds; nil for none (or one under a second).
    public static func intervalMilliseconds(_ interval: Duration?) -> Int64? {
        interval.map { $0.components.seconds * 1000 }.flatMap { $0 > 0 ? $0 : nil }
    }

    /// Sums `events` by group (and interval) and kind. An event outside a group (no
    /// department, no campaign) counts under `-`; agent groups hold only events an agent had.
    public static func totals(_ events: [RecordedQueueEvent], by grouping: Grouping, interval: Duration? = nil) -> [QueueEventTotal] {
        let intervalMs = intervalMilliseconds(interval)
        struct Key: Hashable { let group: String; let slot: Int64?; let event: QueueRecord.Event }
        var sums: [Key: QueueEventTotal] = [:]
        for e in events {
            let r = e.record
            let group: String
            switch grouping {
            case .queue: group = r.queue
            case .department: group = r.department ?? "-"
            case .campaign: group = r.campaign ?? "-"
            case .agent:
                guard let agent = r.agent else { continue }
                group = agent
            }
            let key = Key(group: group, slot: slot(e.at, intervalMs: intervalMs), event: r.event)
            var t = sums[key] ?? QueueEventTotal(group: group, intervalStart: key.slot, event: r.event, count: 0, withinServiceLevel: 0, short: 0,
                                                 waitSum: 0, waitMax: 0, talkSum: 0)
            let wait = r.wait.wholeMilliseconds
            t.count += 1
            if r.withinServiceLevel { t.withinServiceLevel += 1 }
            if r.shortAbandon { t.short += 1 }
            t.waitSum += wait
            t.waitMax = max(t.waitMax, wait)
            t.talkSum += r.talk.wholeMilliseconds
            sums[key] = t
        }
        return Array(sums.values)
    }

    /// Totals of the same group, interval and kind added together (the store's parts of one
    /// period: quarter-hour sums and the events at either end).
    public static func merge(_ totals: [QueueEventTotal]) -> [QueueEventTotal] {
        struct Key: Hashable { let group: String; let slot: Int64?; let event: QueueRecord.Event }
        var merged: [Key: QueueEventTotal] = [:]
        for t in totals {
            let key = Key(group: t.group, slot: t.intervalStart, event: t.event)
            guard var m = merged[key] else {
                merged[key] = t
                continue
            }
            m.count += t.count
            m.withinServiceLevel += t.withinServiceLevel
            m.short += t.short
            m.waitSum += t.waitSum
            m.waitMax = max(m.waitMax, t.waitMax)
            m.talkSum += t.talkSum
            merged[key] = m
        }
        return Array(merged.values)
    }

    /// The rows for `totals`, sorted by group, then interval.
    public static func rows(_ totals: [QueueEventTotal]) -> [Row] {
        struct Key: Hashable { let group: String; let slot: Int64? }
        var table: [Key: ReportFigures] = [:]
        for t in totals { table[Key(group: t.group, slot: t.intervalStart), default: ReportFigures()].add(t) }
        return table.map { Row(group: $0.key.group, intervalStart: $0.key.slot, figures: $0.value) }
            .sorted { $0.group != $1.group ? $0.group < $1.group : ($0.intervalStart ?? 0) < ($1.intervalStart ?? 0) }
    }

    /// The rows for `events`, grouped `by` (optionally per interval): `rows(totals(…))`.
    public static func rows(_ events: [RecordedQueueEvent], by grouping: Grouping, interval: Duration? = nil) -> [Row] {
        rows(totals(events, by: grouping, interval: interval))
    }
}
