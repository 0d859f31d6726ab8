import Foundation
import ThroughlineCore

/// The durable record of queue events in SQLite (the `queue_event` table, schema version 6).
extension ReferenceStore {
    public func appendQueueEvents(_ events: [RecordedQueueEvent]) throws {
        guard !events.isEmpty else { return }
        try lock.withLock {
            try database.transaction { () throws(StoreError) in
                for e in events {
                    let r = e.record
                    try database.query(
                        """
                        INSERT INTO queue_event (at, event, call_id, queue, agent, department, campaign, caller, wait_ms, talk_ms, position, within_sl, short, charged_to)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                        [.integer(e.at), .text(r.event.rawValue), .text(r.callID), .text(r.queue), Self.value(r.agent), Self.value(r.department),
                         Self.value(r.campaign), .text(r.caller), .integer(Self.ms(r.wait)), .integer(Self.ms(r.talk)), .integer(Int64(r.position)),
                         .integer(r.withinServiceLevel ? 1 : 0), .integer(r.shortAbandon ? 1 : 0), Self.value(r.chargedTo)])
                }
            }
        }
    }

    public func queueEvents(from: Int64, to: Int64) throws -> [RecordedQueueEvent] {
        try lock.withLock {
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

    /// What the department cost report reads besides queue events, for `from` ..< `to`
    /// (Unix ms): repeat calls charged to each department (journey `repeat` events), hand-offs
    /// each received (and of those overdue, and still open), and the reasons agents gave,
    /// by the department that held the reference.
    public func departmentActivity(from: Int64, to: Int64) throws -> DepartmentActivity {
        let start = UTCTimestamp.string(unixMilliseconds: from), end = UTCTimestamp.string(unixMilliseconds: to)
        return try lock.withLock {
            var activity = DepartmentActivity()
            for row in try database.query("SELECT detail, count(*) FROM journey_event WHERE kind = 'repeat' AND at >= ? AND at < ? GROUP BY detail",
                                          [.text(start), .text(end)]) {
                if let d = Self.text(row[0]), let n = Self.integer(row[1]) { activity.repeats[d] = Int(n) }
            }
            for row in try database.query(
                """
                SELECT department, count(*), sum(overdue_at IS NOT NULL), sum(status = 'open') FROM handoff
                WHERE created_at >= ? AND created_at < ? GROUP BY department
                """, [.integer(from), .integer(to)]) {
                guard let d = Self.text(row[0]), let n = Self.integer(row[1]) else { continue }
                activity.handoffs[d] = .init(received: Int(n), overdue: Int(Self.integer(row[2]) ?? 0), open: Int(Self.integer(row[3]) ?? 0))
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

    static func ms(_ d: Duration) -> Int64 {
        d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000
    }
}
