import ThroughlineCore

/// The nodes sharing this store (schema version 9): a heartbeat row each.
extension ReferenceStore: NodeBook {
    public func nodes() throws -> [ClusterNode] {
        try lock.withLock {
            try database.query("SELECT name, plan_hash, seen_at FROM node ORDER BY name").compactMap { row in
                guard let name = Self.text(row[0]), let hash = Self.text(row[1]), let seen = Self.integer(row[2]) else { return nil }
                return ClusterNode(name: name, planHash: hash, seenAt: seen)
            }
        }
    }

    public func announce(_ node: ClusterNode) throws {
        try lock.withLock {
            _ = try database.query(
                """
                INSERT INTO node (name, plan_hash, seen_at) VALUES (?, ?, ?)
                ON CONFLICT (name) DO UPDATE SET plan_hash = excluded.plan_hash, seen_at = excluded.seen_at
                """, [.text(node.name), .text(node.planHash), .integer(node.seenAt)])
        }
    }

    public func leave(_ name: String) throws {
        try lock.withLock {
            _ = try database.query("DELETE FROM node WHERE name = ?", [.text(name)])
        }
    }
}
