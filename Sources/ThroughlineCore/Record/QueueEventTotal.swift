/// The events of one kind for one group (and interval), summed: what a report is computed
/// from. The store sums them in SQL over any number of events (`QueueEventBook.
/// queueEventTotals`); `QueueReportBuilder.totals` sums recorded events the same way in
/// memory (the reference the store is tested against).
public struct QueueEventTotal: Sendable, Equatable, Hashable {
    /// The queue, department, campaign or agent (`-` for events without one).
    public var group: String
    /// The interval's start (Unix ms), when split by interval.
    public var intervalStart: Int64?
    public var event: QueueRecord.Event
    public var count: Int
    /// Of `count`, CONNECTs within service level, and ABANDONs that were short.
    public var withinServiceLevel: Int
    public var short: Int
    /// Sum and maximum of the waits (ms), sum of talk (ms).
    public var waitSum: Int64
    public var waitMax: Int64
    public var talkSum: Int64

    public init(group: String, intervalStart: Int64?, event: QueueRecord.Event, count: Int, withinServiceLevel: Int, short: Int,
                waitSum: Int64, waitMax: Int64, talkSum: Int64) {
        self.group = group
        self.intervalStart = intervalStart
        self.event = event
        self.count = count
        self.withinServiceLevel = withinServiceLevel
        self.short = short
        self.waitSum = waitSum
        self.waitMax = waitMax
        self.talkSum = talkSum
    }
}
