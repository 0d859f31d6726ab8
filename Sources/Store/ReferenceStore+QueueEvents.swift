import Foundation
import ThroughlineCore

/// The durable record of queue events in the store (the `queue_event` table, schema version 6).
extension ReferenceStore {
    public func appendQueueEvents(_ events: [RecordedQueueEvent]) throws {
        guard !events.isEmpty else { return }
        try settled {
            try database.transaction { () throws(StoreError) in
                for e in events {
                    let r = e.record
                    try database.query(
                        """
                        INSERT INTO queue_event (at, event, call_id, queue, agent, department, campaign, caller, wait_ms, talk_ms, position, within_sl, short, charged_to)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                        [.integer(e.at), .text(r.event.rawValue), .text(r.callID), .text(r.queue), Self.value(r.agent), Self.value(r.department),
                         Self.value(r.campaign), .text(r.caller), .integer(r.wait.wholeMilliseconds), .integer(r.talk.wholeMilliseconds), .integer(Int64(r.position)),
                         .integer(r.withinServiceLevel ? 1 : 0), .integer(r.shortAbandon ? 1 : 0), Self.value(r.chargedTo)])
                }
            }
        }
    }

    public func queueEvents(from: Int64, to: Int64) throws -> [RecordedQueueEvent] {
        try settled {
            try database.query(
                """
                SELECT at, event, call_id, queue, agent, department, campaign, caller, wait_ms, talk_ms, position, within_sl, short, charged_to
                FROM queue_event WHERE at >= ? AND at < ? ORDER BY id
                """, [.integer(from), .integer(to)])
                .compactMap { row -> RecordedQueueEvent? in
                    guard case .integer(let at) = row[0], case .text(let verb) = row[1], let event = QueueRecord.Event(rawValue: verb),
                          case .text(let callID) = row[2], case .text(let queue) = row[3], case .text(let caller) = row[7],
                          let wait = Self.integer(row[8]), let talk = Self.integer(row[9]), let position = Self.integer(row[10]) else { return nil }
                    var r = QueueRecord(event: event, callID: callID, queue: queue, agent: Self.text(row[4]), department: Self.text(row[5]),
                                        campaign: Self.text(row[6]), caller: caller)
                    r.wait = .milliseconds(wait)
                    r.talk = .milliseconds(talk)
                    r.position = Int(position)
                    r.withinServiceLevel = Self.integer(row[11]) == 1
                    r.shortAbandon = Self.integer(row[12]) == 1
                    r.chargedTo = Self.text(row[13])
                    return RecordedQueueEvent(at: at, record: r)
                }
        }
    }

    /// Sums from the quarter-hour table for the whole quarter hours in the period, and from
    /// the events themselves for the parts at either end (and for intervals that are not a
    /// whole number of quarter hours), merged: exact for any period, and a report over a day
    /// reads a few hundred rows whatever the number of events.
    public func queueEventTotals(from: Int64, to: Int64, by grouping: QueueReportBuilder.Grouping, interval: Duration?) throws -> [QueueEventTotal] {
        let quarter: Int64 = 900_000
        let intervalMs = QueueReportBuilder.intervalMilliseconds(interval)
        let firstWhole = from % quarter == 0 ? from : (from / quarter + 1) * quarter
        let wholeEnd = to / quarter * quarter
        return try settled {
            guard firstWhole < wholeEnd, intervalMs.map({ $0 % quarter == 0 }) ?? true else {
                return try eventTotals(from: from, to: to, by: grouping, intervalMs: intervalMs)
            }
            let parts = try eventTotals(from: from, to: firstWhole, by: grouping, intervalMs: intervalMs)
                + slotTotals(from: firstWhole, to: wholeEnd, by: grouping, intervalMs: intervalMs)
                + eventTotals(from: wholeEnd, to: to, by: grouping, intervalMs: intervalMs)
            return QueueReportBuilder.merge(parts)
        }
    }

    /// Sums of the events themselves in `from ..< to`; the lock is held by the caller.
    private func eventTotals(from: Int64, to: Int64, by grouping: QueueReportBuilder.Grouping, intervalMs: Int64?) throws(StoreError) -> [QueueEventTotal] {
        guard from < to else { return [] }
        let group = Self.groupColumn(grouping)
        // The interval's start, aligned to the epoch as QueueReportBuilder.slot does (times
        // here are after 1970, so integer division floors).
        let slot = intervalMs.map { "(at / \($0)) * \($0)" } ?? "NULL"
        return try totals(
            """
            SELECT \(group), \(slot), event, count(*), sum(within_sl), sum(short), sum(wait_ms), max(wait_ms), sum(talk_ms)
            FROM queue_event WHERE at >= ? AND at < ?\(grouping == .agent ? " AND agent IS NOT NULL" : "")
            GROUP BY 1, 2, 3
            """, from, to)
    }

    /// Sums from the quarter-hour table for whole quarter hours `from ..< to`; the lock is
    /// held by the caller.
    private func slotTotals(from: Int64, to: Int64, by grouping: QueueReportBuilder.Grouping, intervalMs: Int64?) throws(StoreError) -> [QueueEventTotal] {
        let group = Self.groupColumn(grouping)
        let slot = intervalMs.map { "(slot / \($0)) * \($0)" } ?? "NULL"
        return try totals(
            """
            SELECT \(group), \(slot), event, sum(count), sum(within_sl), sum(short), sum(wait_sum), max(wait_max), sum(talk_sum)
            FROM \(grouping == .agent ? "queue_event_agent_slot" : "queue_event_slot") WHERE slot >= ? AND slot < ?
            GROUP BY 1, 2, 3
            """, from, to)
    }

    /// The column a report groups by, in either table: none (NULL among the events, '' in
    /// the quarter-hour sums) reads as `-`.
    private static func groupColumn(_ grouping: QueueReportBuilder.Grouping) -> String {
        switch grouping {
        case .queue: "queue"
        case .department: "coalesce(nullif(department, ''), '-')"
        case .campaign: "coalesce(nullif(campaign, ''), '-')"
        case .agent: "agent"
        }
    }

    private func totals(_ sql: String, _ from: Int64, _ to: Int64) throws(StoreError) -> [QueueEventTotal] {
        try database.query(sql, [.integer(from), .integer(to)]).compactMap { row -> QueueEventTotal? in
            guard let group = Self.text(row[0]), let verb = Self.text(row[2]), let event = QueueRecord.Event(rawValue: verb),
                  let count = Self.integer(row[3]) else { return nil }
            return QueueEventTotal(group: group, intervalStart: Self.integer(row[1]), event: event, count: Int(count),
                                   withinServiceLevel: Int(Self.integer(row[4]) ?? 0), short: Int(Self.integer(row[5]) ?? 0),
                                   waitSum: Self.integer(row[6]) ?? 0, waitMax: Self.integer(row[7]) ?? 0, talkSum: Self.integer(row[8]) ?? 0)
        }
    }

    /// What the department cost report reads besides queue events, for `from` ..< `to`
    /// (Unix ms): repeat calls charged to each department (journey `repeat` events), hand-offs
    /// each received (and of those overdue, and still open), and the reasons agents gave,
    /// by the department that held the reference.
    public func departmentActivity(from: Int64, to: Int64) throws -> DepartmentActivity {
        let start = UTCTimestamp.string(unixMilliseconds: from), end = UTCTimestamp.string(unixMilliseconds: to)
        return try settled {
            var activity = DepartmentActivity()
            for row in try database.query("SELECT detail, count(*) FROM journey_event WHERE kind = 'repeat' AND at >= ? AND at < ? GROUP BY detail",
                                          [.text(start), .text(end)]) {
                if let d = Self.text(row[0]), let n = Self.integer(row[1]) { activity.repeats[d] = Int(n) }
            }
            for row in try database.query(
                """
                SELECT charged_to, sum(talk_ms) FROM queue_event
                WHERE at >= ? AND at < ? AND charged_to IS NOT NULL AND event IN ('COMPLETECALLER', 'COMPLETEAGENT', 'TRANSFER')
                GROUP BY charged_to
                """, [.integer(from), .integer(to)]) {
                if let d = Self.text(row[0]), let ms = Self.integer(row[1]) { activity.repeatTalk[d] = .milliseconds(ms) }
            }
            for row in try database.query(
                """
                SELECT department, count(*), sum(CASE WHEN overdue_at IS NOT NULL THEN 1 ELSE 0 END), sum(CASE WHEN status = 'open' THEN 1 ELSE 0 END) FROM handoff
                WHERE created_at >= ? AND created_at < ? GROUP BY department
                """, [.integer(from), .integer(to)]) {
                guard let d = Self.text(row[0]), let n = Self.integer(row[1]) else { continue }
                activity.handoffs[d] = .init(received: Int(n), overdue: Int(Self.integer(row[2]) ?? 0), open: Int(Self.integer(row[3]) ?? 0))
            }
            for row in try database.query(
                "SELECT coalesce(department, '-'), count(*) FROM queue_event WHERE event = 'ENTERQUEUE' AND at >= ? AND at < ? GROUP BY 1",
                [.integer(from), .integer(to)]) {
                if let d = Self.text(row[0]), let n = Self.integer(row[1]) { activity.offered[d] = Int(n) }
            }
            // Resolved in the period, by the department holding them; a first contact is one
            // call (issued, repeated or keyed: `call`, `repeat`, `attached`) and no hand-off.
            for row in try database.query(
                """
                SELECT coalesce(r.department, '-'), count(*),
                       sum(CASE WHEN calls <= 1 AND handoffs = 0 THEN 1 ELSE 0 END), sum(handoffs)
                FROM (SELECT digits, department,
                             (SELECT count(*) FROM journey_event j WHERE j.reference = digits AND j.kind IN ('call', 'repeat', 'attached')) AS calls,
                             (SELECT count(*) FROM handoff h WHERE h.reference = digits) AS handoffs
                      FROM reference WHERE status = 'resolved' AND resolved_at >= ? AND resolved_at < ?) AS r
                GROUP BY 1
                """, [.text(start), .text(end)]) {
                guard let d = Self.text(row[0]), let n = Self.integer(row[1]) else { continue }
                activity.resolutions[d] = .init(resolved: Int(n), firstContact: Int(Self.integer(row[2]) ?? 0), handoffs: Int(Self.integer(row[3]) ?? 0))
            }
            for row in try database.query(
                """
                SELECT coalesce(department, '-'), detail, count(*) FROM journey_event WHERE kind = 'reason' AND at >= ? AND at < ?
                GROUP BY 1, 2
                """, [.text(start), .text(end)]) {
                guard let d = Self.text(row[0]), let reason = Self.text(row[1]), let n = Self.integer(row[2]) else { continue }
                activity.reasons[d, default: [:]][reason] = Int(n)
            }
            return activity
        }
    }

    public func agentStatusChanges(from: Int64, to: Int64) throws -> [StaffedTime.Change] {
        try settled {
            try database.query(
                """
                SELECT agent, at, status, id FROM agent_status_change
                WHERE id IN (SELECT max(id) FROM agent_status_change WHERE at < ? GROUP BY agent)
                UNION ALL
                SELECT agent, at, status, id FROM agent_status_change WHERE at >= ? AND at < ?
                ORDER BY 2, 4
                """, [.integer(from), .integer(from), .integer(to)]).compactMap { row in
                guard let agent = Self.text(row[0]), let at = Self.integer(row[1]), let status = Self.text(row[2]) else { return nil }
                return StaffedTime.Change(agent: agent, at: at, available: status == "available")
            }
        }
    }
}
