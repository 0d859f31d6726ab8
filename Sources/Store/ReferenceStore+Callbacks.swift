import Foundation
import ThroughlineCore

/// Call backs in the same file as the references (schema version 8). Saved on the controller
/// thread; the store's lock serialises it with the HTTP threads.
extension ReferenceStore: CallbackStore {
    public func saveCallback(_ c: PendingCallback) throws {
        try lock.withLock {
            _ = try database.query(
                """
                INSERT INTO callback (id, number, queue, reference, department, priority, presented, joined_at, requested_at, attempts,
                                      retry_at, last_failure, status)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending')
                ON CONFLICT (id) DO UPDATE SET joined_at = excluded.joined_at, attempts = excluded.attempts, retry_at = excluded.retry_at,
                  last_failure = excluded.last_failure, status = 'pending', ended_at = NULL
                """,
                [.integer(c.id), .text(c.number), .text(c.queue), c.reference.map { .text($0) } ?? .null, c.department.map { .text($0) } ?? .null,
                 .integer(Int64(c.priority)), .text(c.presented), .integer(c.joinedAt), .integer(c.requestedAt), .integer(Int64(c.attempts)),
                 c.retryAt.map { .integer($0) } ?? .null, c.lastFailure.map { .text($0) } ?? .null])
        }
    }

    public func endCallback(_ c: PendingCallback, _ end: CallbackEnd, at: Int64) throws {
        try saveCallback(c)
        try lock.withLock {
            _ = try database.query("UPDATE callback SET status = ?, ended_at = ? WHERE id = ?", [.text(end.rawValue), .integer(at), .integer(c.id)])
        }
    }

    public func pendingCallbacks() throws -> (callbacks: [PendingCallback], nextID: Int64) {
        try lock.withLock {
            var found: [PendingCallback] = []
            let rows = try database.query(
                """
                SELECT id, number, queue, reference, department, priority, presented, joined_at, requested_at, attempts, retry_at, last_failure
                FROM callback WHERE status = 'pending' ORDER BY joined_at, id
                """)
            for row in rows {
                guard case .integer(let id) = row[0], case .text(let number) = row[1], case .text(let queue) = row[2],
                      case .integer(let priority) = row[5], case .text(let presented) = row[6], case .integer(let joined) = row[7],
                      case .integer(let requested) = row[8], case .integer(let attempts) = row[9] else { continue }
                var retryAt: Int64?
                if case .integer(let r) = row[10] { retryAt = r }
                found.append(PendingCallback(id: id, number: number, queue: queue, reference: Self.text(row[3]), department: Self.text(row[4]),
                                             priority: Int(priority), presented: presented, joinedAt: joined, requestedAt: requested,
                                             attempts: Int(attempts), retryAt: retryAt, lastFailure: Self.text(row[11])))
            }
            var nextID: Int64 = 1
            if case .integer(let max)? = try database.query("SELECT max(id) FROM callback").first?.first { nextID = max + 1 }
            return (found, nextID)
        }
    }
}
