/// Today's figures (UTC day) per queue, per department and in all, as the wallboard shows
/// them: the same `ReportFigures` a report over today computes, kept up to date event by
/// event. The shell seeds it from the store at start (so a restart loses nothing) and adds
/// each event the recorder takes; pure, no clock: a later day's event starts a new day.
public struct WallboardToday: Sendable, Equatable {
    /// The UTC day's first millisecond.
    public private(set) var day: Int64
    public private(set) var byQueue: [String: ReportFigures] = [:]
    public private(set) var byDepartment: [String: ReportFigures] = [:]
    public private(set) var all = ReportFigures()

    public static let dayMs: Int64 = 86_400_000

    /// An empty day, the one `now` (Unix milliseconds) falls in.
    public init(now: Int64) { day = Self.dayStart(now) }

    /// The first millisecond of the UTC day `at` falls in: "today" for the wallboard and for
    /// a report with no `from`.
    public static func dayStart(_ at: Int64) -> Int64 { QueueReportBuilder.start(of: at, every: dayMs) }

    /// Adds the store's sums of today so far (`QueueEventBook.queueEventTotals` by queue and
    /// by department, from `day`). Called once, at start, before any event is added.
    public mutating func seed(byQueue queueTotals: [QueueEventTotal], byDepartment departmentTotals: [QueueEventTotal]) {
        for t in queueTotals {
            byQueue[t.group, default: ReportFigures()].add(t)
            all.add(t)
        }
        for t in departmentTotals { byDepartment[t.group, default: ReportFigures()].add(t) }
    }

    /// Adds one recorded event; an event of a later day first empties the figures.
    public mutating func add(_ event: RecordedQueueEvent) {
        let eventDay = Self.dayStart(event.at)
        if eventDay > day { self = WallboardToday(now: event.at) }
        guard eventDay == day else { return }
        for t in QueueReportBuilder.totals([event], by: .queue) {
            byQueue[t.group, default: ReportFigures()].add(t)
            all.add(t)
        }
        for t in QueueReportBuilder.totals([event], by: .department) { byDepartment[t.group, default: ReportFigures()].add(t) }
    }

    /// Starts a new day when `now` is past this one (at midnight UTC, with no event to do it).
    public mutating func roll(to now: Int64) {
        if Self.dayStart(now) > day { self = WallboardToday(now: now) }
    }
}
