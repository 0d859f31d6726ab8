/// The report itself, one computation for `throughline report` and `GET /api/reports`: the
/// queue figures grouped as asked (by agent with each agent's time available and occupancy),
/// or the department cost report. Called on the CLI's thread or an HTTP thread; the store
/// serialises its reads.
extension QueueEventBook {
    public func report(from: Int64, to: Int64, by grouping: QueueReportBuilder.Grouping, interval: Duration?, costs: Bool) throws -> ReportBody {
        let (start, end) = (UTCTimestamp.string(unixMilliseconds: from), UTCTimestamp.string(unixMilliseconds: to))
        if costs {
            let rows = DepartmentCostBuilder.rows(activity: try departmentActivity(from: from, to: to))
            return ReportBody(from: start, to: end, by: "department", rows: [], costs: rows.map(DepartmentCostBody.init))
        }
        var rows = QueueReportBuilder.rows(try queueEventTotals(from: from, to: to, by: grouping, interval: interval))
        guard grouping == .agent else { return ReportBody(from: start, to: end, by: grouping.rawValue, rows: rows.map { ReportRowBody($0) }) }
        let intervalMs = QueueReportBuilder.intervalMilliseconds(interval)
        let staffed = StaffedTime.totals(try agentStatusChanges(from: from, to: to), from: from, to: to, intervalMs: intervalMs)
        // An agent who was available and took no call has a row too (occupancy 0).
        let present = Set(rows.map { StaffedTime.Key(agent: $0.group, slot: $0.intervalStart) })
        rows += staffed.keys.filter { !present.contains($0) }.map { QueueReportBuilder.Row(group: $0.agent, intervalStart: $0.slot, figures: ReportFigures()) }
        rows.sort { $0.group != $1.group ? $0.group < $1.group : ($0.intervalStart ?? 0) < ($1.intervalStart ?? 0) }
        return ReportBody(from: start, to: end, by: grouping.rawValue, rows: rows.map {
            ReportRowBody($0, staffed: .milliseconds(staffed[StaffedTime.Key(agent: $0.group, slot: $0.intervalStart)] ?? 0))
        })
    }
}
