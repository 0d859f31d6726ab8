import Foundation
import ThroughlineCore

/// The nodes sharing this store (schema version 9): a heartbeat row each.
extension ReferenceStore: NodeBook {
    public func nodes() throws -> [ClusterNode] {
        try settled {
            try database.query("SELECT name, plan_hash, seen_at FROM node ORDER BY name").compactMap { row in
                guard let name = Self.text(row[0]), let hash = Self.text(row[1]), let seen = Self.integer(row[2]) else { return nil }
                return ClusterNode(name: name, planHash: hash, seenAt: seen)
            }
        }
    }

    public func announce(_ node: ClusterNode) throws {
        try settled {
            _ = try database.query(
                """
                INSERT INTO node (name, plan_hash, seen_at) VALUES (?, ?, ?)
                ON CONFLICT (name) DO UPDATE SET plan_hash = excluded.plan_hash, seen_at = excluded.seen_at
                """, [.text(node.name), .text(node.planHash), .integer(node.seenAt)])
        }
    }

    public func leave(_ name: String) throws {
        try settled {
            _ = try database.query("DELETE FROM node WHERE name = ?", [.text(name)])
        }
    }

    // Agents on a node's calls (schema version 10).

    public func saveEngagement(agent: String, node: String, engaged: Bool, at: Int64) throws {
        try settled {
            if engaged {
                _ = try database.query(
                    """
                    INSERT INTO agent_engagement (agent, node, since) VALUES (?, ?, ?)
                    ON CONFLICT (agent) DO UPDATE SET since = excluded.since WHERE agent_engagement.node = excluded.node
                    """, [.text(agent), .text(node), .integer(at)])  // another node's row is theirs: taken only by a claim
            } else {
                // Only this node's row: another node may have engaged the agent since.
                _ = try database.query("DELETE FROM agent_engagement WHERE agent = ? AND node = ?", [.text(agent), .text(node)])
            }
            try notifyLine(from: node, .agents)
        }
    }

    public func claimEngagement(agent: String, node: String, at: Int64, liveSince: Int64) throws -> String? {
        try settled {
            // Inserted, or taken over from this node's own row or a node no longer live; a row
            // another live node holds is left as it is, and nothing is returned.
            let taken = try database.query(
                """
                INSERT INTO agent_engagement (agent, node, since) VALUES (?, ?, ?)
                ON CONFLICT (agent) DO UPDATE SET node = excluded.node, since = excluded.since
                WHERE agent_engagement.node = excluded.node
                   OR agent_engagement.node NOT IN (SELECT n.name FROM node n WHERE \(liveNode))
                RETURNING node
                """, [.text(agent), .text(node), .integer(at), .integer(liveSince)])
            guard taken.isEmpty else { return nil }
            let holder = try database.query("SELECT node FROM agent_engagement WHERE agent = ?", [.text(agent)])
            return holder.first.flatMap { Self.text($0[0]) } ?? "another node"
        }
    }

    public func forgetEngagements(of node: String) throws {
        try settled {
            _ = try database.query("DELETE FROM agent_engagement WHERE node = ?", [.text(node)])
        }
    }

    public func engagements(liveSince: Int64, except: String) throws -> [String: String] {
        try settled {
            let rows = try database.query(
                """
                SELECT e.agent, e.node FROM agent_engagement e JOIN node n ON n.name = e.node
                WHERE \(liveNode) AND e.node <> ?
                """, [.integer(liveSince), .text(except)])
            return Dictionary(rows.compactMap { row in Self.text(row[0]).flatMap { a in Self.text(row[1]).map { (a, $0) } } },
                              uniquingKeysWith: { first, _ in first })
        }
    }

    // Callers waiting on each node (schema version 12).

    /// One transaction of at most two statements however many callers changed (the rows go
    /// as one JSON parameter): a node taking 600 calls a second writes 40 times a second, and
    /// a statement per caller was a round trip each.
    public func updateWaiters(node: String, upsert: [ClusterWaiter], remove: [String]) throws {
        let rows: String, calls: String
        do {
            rows = String(decoding: try JSONEncoder().encode(upsert.map(WaiterRow.init)), as: UTF8.self)
            calls = String(decoding: try JSONEncoder().encode(remove), as: UTF8.self)
        } catch {
            throw StoreError(function: "JSONEncoder.encode", code: -1, message: "\(error)")
        }
        try settled {
            try database.transaction { () throws(StoreError) in
                if !remove.isEmpty {
                    _ = try database.query("DELETE FROM queue_waiter WHERE node = ? AND call IN (SELECT value FROM \(jsonTexts))",
                                           [.text(node), .text(calls)])
                }
                if !upsert.isEmpty {
                    _ = try database.query(
                        """
                        INSERT INTO queue_waiter (node, call, queue, joined_at, rank_at, agent)
                        SELECT CAST(? AS TEXT), \(waiterRows) WHERE true
                        ON CONFLICT (node, call) DO UPDATE SET queue = excluded.queue, joined_at = excluded.joined_at,
                          rank_at = excluded.rank_at, agent = excluded.agent
                        """,
                        [.text(node), .text(rows)])
                }
                try notifyLine(from: node, .line)  // delivered at commit
            }
        }
    }

    /// A waiter as `updateWaiters` hands them to the database, in a JSON array.
    struct WaiterRow: Encodable {
        var call: String
        var queue: String
        var joinedAt: Int64
        var rankAt: Int64
        var agent: String?

        /// The keys `waiterRows` reads.
        enum CodingKeys: String, CodingKey {
            case call, queue, agent
            case joinedAt = "joined_at"
            case rankAt = "rank_at"
        }

        init(_ waiter: ClusterWaiter) {
            (call, queue, joinedAt, rankAt, agent) = (waiter.call, waiter.queue, waiter.joinedAt, waiter.rankAt, waiter.agent)
        }
    }

    /// The texts of a JSON array parameter, as a table with one column, `value`.
    private var jsonTexts: String {
        switch database.dialect {
        case .sqlite: "json_each(?)"
        case .postgresql: "json_array_elements_text(CAST(? AS json))"
        }
    }

    /// The columns after the node of `WaiterRow`s in a JSON array parameter, and where from.
    private var waiterRows: String {
        switch database.dialect {
        case .sqlite:
            """
            json_extract(value, '$.call'), json_extract(value, '$.queue'), json_extract(value, '$.joined_at'),
              json_extract(value, '$.rank_at'), json_extract(value, '$.agent') FROM json_each(?)
            """
        case .postgresql:
            """
            r.call, r.queue, r.joined_at, r.rank_at, r.agent
              FROM json_to_recordset(CAST(? AS json)) AS r(call text, queue text, joined_at bigint, rank_at bigint, agent text)
            """
        }
    }

    public func forgetWaiters(of node: String) throws {
        try settled {
            _ = try database.query("DELETE FROM queue_waiter WHERE node = ?", [.text(node)])
        }
    }

    public func waiters(liveSince: Int64, except: String) throws -> [ClusterWaiter] {
        try settled {
            let rows = try database.query(
                """
                SELECT w.node, w.call, w.queue, w.joined_at, w.rank_at, w.agent FROM queue_waiter w JOIN node n ON n.name = w.node
                WHERE \(liveNode) AND w.node <> ? ORDER BY w.rank_at, w.node, w.call
                """, [.integer(liveSince), .text(except)])
            return rows.compactMap { row in
                guard let node = Self.text(row[0]), let call = Self.text(row[1]), let queue = Self.text(row[2]),
                      let joined = Self.integer(row[3]), let rank = Self.integer(row[4]) else { return nil }
                return ClusterWaiter(node: node, call: call, queue: queue, joinedAt: joined, rankAt: rank, agent: Self.text(row[5]))
            }
        }
    }

    /// The channel a node's changes to what the queues route on are announced on
    /// (`StoreListener`).
    public static let lineChannel = "throughline_line"

    /// Announces a change `node` made to the line or its agents to the nodes listening
    /// (PostgreSQL only; inside a transaction, at its commit): the payload is the node's name
    /// and the kind of change, a tab between. Called under the lock.
    func notifyLine(from node: String?, _ change: SharedChange) throws(StoreError) {
        guard database.dialect == .postgresql, let node else { return }
        _ = try database.query("SELECT pg_notify('\(Self.lineChannel)', ?)", [.text(node + "\t" + change.rawValue)])
    }

    /// The change a `notifyLine` payload announces, unless `node` made it (or it is not one).
    /// Called by `StoreListener` on its thread.
    static func lineChange(in payload: String, except node: String) -> SharedChange? {
        let parts = payload.split(separator: "\t", maxSplits: 1).map(String.init)
        guard parts.count == 2, parts[0] != node else { return nil }
        return SharedChange(rawValue: parts[1])
    }

    /// The name a node's PostgreSQL session carries (`application_name`, at most 63 bytes).
    static func sessionName(_ node: String) -> String { String(("tl:" + node).utf8.prefix(63)) ?? "tl:" }

    /// A node `n` is live: heard from at or after the first parameter and, on PostgreSQL, its
    /// session still connected. A node killed (its process gone, its connection closed by the
    /// kernel) drops out at the next read instead of after missed heartbeats; a node whose
    /// connection drops while it runs drops out until it reconnects.
    private var liveNode: String {
        switch database.dialect {
        case .sqlite: "n.seen_at >= ?"
        case .postgresql:
            """
            n.seen_at >= ? AND left('tl:' || n.name, 63) IN (SELECT application_name FROM pg_stat_activity WHERE application_name LIKE 'tl:%')
            """
        }
    }
}
