import Foundation
import ThroughlineCore

/// Call backs in the same file as the references (schema version 8; version 11 adds the node
/// that places each one). Saved on the controller thread; the store's lock serialises it with
/// the HTTP threads and the shared-agent watch's adoption.
extension ReferenceStore: CallbackStore {
    public func saveCallback(_ c: PendingCallback) throws {
        try settled {
            _ = try database.query(
                """
                INSERT INTO callback (id, number, queue, reference, department, priority, presented, joined_at, requested_at, attempts,
                                      retry_at, last_failure, status, node)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)
                ON CONFLICT (id) DO UPDATE SET joined_at = excluded.joined_at, attempts = excluded.attempts, retry_at = excluded.retry_at,
                  last_failure = excluded.last_failure, status = 'pending', ended_at = NULL, node = excluded.node
                """,
                [.integer(c.id), .text(c.number), .text(c.queue), c.reference.map { .text($0) } ?? .null, c.department.map { .text($0) } ?? .null,
                 .integer(Int64(c.priority)), .text(c.presented), .integer(c.joinedAt), .integer(c.requestedAt), .integer(Int64(c.attempts)),
                 c.retryAt.map { .integer($0) } ?? .null, c.lastFailure.map { .text($0) } ?? .null, ownNode.map { .text($0) } ?? .null])
        }
    }

    public func endCallback(_ c: PendingCallback, _ end: CallbackEnd, at: Int64) throws {
        try saveCallback(c)
        try settled {
            _ = try database.query("UPDATE callback SET status = ?, ended_at = ? WHERE id = ?", [.text(end.rawValue), .integer(at), .integer(c.id)])
        }
    }

    /// On a store of one node, every pending call back, and the id after the highest. On a
    /// shared store, this node's own pending call backs and those no live node places (taken
    /// by this node here, in one transaction), and the first id of a block of a million no
    /// other node's start was given.
    public func pendingCallbacks() throws -> (callbacks: [PendingCallback], nextID: Int64) {
        try settled {
            guard let node = ownNode else {
                var nextID: Int64 = 1
                if case .integer(let max)? = try database.query("SELECT max(id) FROM callback").first?.first { nextID = max + 1 }
                return (try pending(where: "status = 'pending'", []), nextID)
            }
            let liveSince = Int64(Date().timeIntervalSince1970 * 1000) - Int64(ClusterMembership.liveFor.components.seconds * 1000)
            return try database.transaction { () throws(StoreError) -> ([PendingCallback], Int64) in
                _ = try database.query(
                    """
                    UPDATE callback SET node = ? WHERE status = 'pending'
                      AND (node IS NULL OR node NOT IN (SELECT name FROM node WHERE seen_at >= ?))
                    """, [.text(node), .integer(liveSince)])
                let block = try database.query(Self.nextCallbackBlock(database.dialect)).first?.first
                guard case .integer(let n)? = block else { throw StoreError(function: "nextval", code: -1, message: "no call back id block") }
                return (try pending(where: "status = 'pending' AND node = ?", [.text(node)]), n * Self.callbackIDBlock + 1)
            }
        }
    }

    /// Call backs pending on nodes no longer live (not heard from since `liveSince`, Unix
    /// milliseconds): this node places them from now on. Empty on a store of one node. Called
    /// from the shared-agent watch's queue every 2 s; another node adopting at the same moment
    /// takes each call back once (the transaction is serializable).
    public func adoptCallbacks(liveSince: Int64) throws -> [PendingCallback] {
        try settled {
            guard let node = ownNode else { return [] }
            return try database.transaction { () throws(StoreError) -> [PendingCallback] in
                let orphans = try pending(where: "status = 'pending' AND node <> ? AND node NOT IN (SELECT name FROM node WHERE seen_at >= ?)",
                                          [.text(node), .integer(liveSince)])
                for orphan in orphans {
                    _ = try database.query("UPDATE callback SET node = ? WHERE id = ? AND status = 'pending'", [.text(node), .integer(orphan.id)])
                }
                return orphans
            }
        }
    }

    /// A shared store's call back ids: block N (from a sequence) numbers from N × this.
    static let callbackIDBlock: Int64 = 1_000_000

    static func nextCallbackBlock(_ dialect: SQLDialect) -> String {
        switch dialect {
        case .postgresql: "SELECT nextval('callback_block')"
        case .sqlite: "SELECT coalesce(max(id), 0) / 1000000 + 1 FROM callback"  // one node: past the highest id
        }
    }

    /// The call backs matching `condition`, oldest first. Called with the lock held.
    private func pending(where condition: String, _ parameters: [SQLValue]) throws(StoreError) -> [PendingCallback] {
        var found: [PendingCallback] = []
        let rows = try database.query(
            """
            SELECT id, number, queue, reference, department, priority, presented, joined_at, requested_at, attempts, retry_at, last_failure
            FROM callback WHERE \(condition) ORDER BY joined_at, id
            """, parameters)
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
        return found
    }
}
