/// Where the durable record of queue events lives (the store's `queue_event` table). The
/// shell's recorder appends from its own writer thread, never the controller's; reports read.
public protocol QueueEventBook: AnyObject, Sendable {
    /// Appends events, in order, in one transaction.
    func appendQueueEvents(_ events: [RecordedQueueEvent]) throws
    /// Events from `from` (inclusive) to `to` (exclusive), Unix milliseconds, oldest first.
    func queueEvents(from: Int64, to: Int64) throws -> [RecordedQueueEvent]
    /// The same period's events summed by group (and interval) and kind, as
    /// `QueueReportBuilder.totals` defines, without reading them one by one.
    func queueEventTotals(from: Int64, to: Int64, by grouping: QueueReportBuilder.Grouping, interval: Duration?) throws -> [QueueEventTotal]
    /// Repeat calls, hand-offs and reasons per department in the same period, for the
    /// department cost report.
    func departmentActivity(from: Int64, to: Int64) throws -> DepartmentActivity
    /// Agents' status changes for `StaffedTime`: per agent the last before `from`, and every
    /// one from `from` to `to`, in time order.
    func agentStatusChanges(from: Int64, to: Int64) throws -> [StaffedTime.Change]
}
