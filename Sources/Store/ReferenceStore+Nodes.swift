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

    // Agents on a node's calls (schema version 10).

    public func saveEngagement(agent: String, node: String, engaged: Bool, at: Int64) throws {
        try lock.withLock {
            if engaged {
                _ = try database.query(
                    """
                    INSERT INTO agent_engagement (agent, node, since) VALUES (?, ?, ?)
                    ON CONFLICT (agent) DO UPDATE SET node = excluded.node, since = excluded.since
                    """, [.text(agent), .text(node), .integer(at)])
            } else {
                // Only this node's row: another node may have engaged the agent since.
                _ = try database.query("DELETE FROM agent_engagement WHERE agent = ? AND node = ?", [.text(agent), .text(node)])
            }
        }
    }

    public func forgetEngagements(of node: String) throws {
        try lock.withLock {
            _ = try database.query("DELETE FROM agent_engagement WHERE node = ?", [.text(node)])
        }
    }

    public func engagements(liveSince: Int64, except: String) throws -> [String: String] {
        try lock.withLock {
            let rows = try database.query(
                """
                SELECT e.agent, e.node FROM agent_engagement e JOIN node n ON n.name = e.node
                WHERE n.seen_at >= ? AND e.node <> ?
                """, [.integer(liveSince), .text(except)])
            return Dictionary(rows.compactMap { row in Self.text(row[0]).flatMap { a in Self.text(row[1]).map { (a, $0) } } },
                              uniquingKeysWith: { first, _ in first })
        }
    }
}
