import Foundation
import ThroughlineCore

/// Hand-offs in the store (the `handoff` table, schema version 5). Each operation is one
/// transaction under the store's lock: the rules (`HandoffRules`) are applied to what is
/// stored inside it, so a refused request writes nothing and two claims cannot both win.
extension ReferenceStore {
    public func handOff(_ reference: ReferenceNumber, to department: HandoffDepartment, note: String, due: Duration?,
                        by author: String, at now: Int64) throws -> Result<Handoff, HandoffRefusal> {
        try settled {
            try database.transaction { () throws(StoreError) -> Result<Handoff, HandoffRefusal> in
                let rows = try database.query("SELECT status, department FROM reference WHERE digits = ?", [.text(reference.digits)])
                guard let row = rows.first else { return .failure(.noSuchReference(reference)) }
                guard case .text("open") = row[0] else { return .failure(.referenceResolved(reference)) }
                let from = Self.text(row[1])
                // The open hand-off it had (if any) is handed on.
                try database.query("UPDATE handoff SET status = 'handed-on', closed_at = ? WHERE reference = ? AND status = 'open'",
                                   [.integer(now), .text(reference.digits)])
                var counts: [String: Int] = [:]
                for r in try database.query("SELECT owner, count(*) FROM handoff WHERE department = ? AND status = 'open' AND owner IS NOT NULL GROUP BY owner",
                                            [.text(department.name)]) {
                    if case .text(let owner) = r[0], case .integer(let n) = r[1] { counts[owner] = Int(n) }
                }
                let last = try database.query("SELECT owner FROM handoff WHERE department = ? AND assigned_by = 'rule' ORDER BY id DESC LIMIT 1",
                                              [.text(department.name)]).first.flatMap { Self.text($0[0]) }
                let owner = HandoffRules.owner(for: department, openCounts: counts, lastAssigned: last)
                let dueAt = HandoffRules.dueAt(createdAt: now, due: due)
                let inserted = try database.query(
                    """
                    INSERT INTO handoff (reference, from_department, from_agent, department, note, created_at, due_at, owner, assigned_by)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
                    """,
                    [.text(reference.digits), Self.value(from), .text(author), .text(department.name), .text(note), .integer(now),
                     dueAt.map { .integer($0) } ?? .null, Self.value(owner), .text(owner == nil ? "inbox" : "rule")])
                guard let id = inserted.first.flatMap({ Self.integer($0[0]) }) else {
                    throw StoreError(function: "handOff", code: -1, message: "the new hand-off's id was not returned")
                }
                // The department (and its owner, or no one yet) now hold the reference: a
                // repeat caller goes there, and to the owner first.
                try database.query("UPDATE reference SET department = ?, last_agent = ? WHERE digits = ?",
                                   [.text(department.name), Self.value(owner), .text(reference.digits)])
                var detail = "hand-off \(id) to \(department.name)"
                detail += owner.map { ", owner \($0)" } ?? ", in its inbox"
                if let dueAt { detail += ", due \(UTCTimestamp.string(unixMilliseconds: dueAt))" }
                detail += ": \(note)"
                try database.query("INSERT INTO journey_event (reference, at, kind, detail, author) VALUES (?, ?, 'handoff', ?, ?)",
                                   [.text(reference.digits), .text(UTCTimestamp.string(unixMilliseconds: now)), .text(detail), .text(author)])
                return .success(Handoff(id: id, reference: reference, fromDepartment: from, fromAgent: author, department: department.name,
                                        note: note, createdAt: now, dueAt: dueAt, owner: owner))
            }
        }
    }

    public func claim(_ id: Int64, by agent: String, agentDepartments: Set<String>, at now: Int64) throws -> Result<Handoff, HandoffRefusal> {
        try settled {
            try database.transaction { () throws(StoreError) -> Result<Handoff, HandoffRefusal> in
                guard var handoff = try read("WHERE id = ?", [.integer(id)]).first else { return .failure(.noSuchHandoff(id)) }
                if case .failure(let refusal) = HandoffRules.claim(handoff, by: agent, agentDepartments: agentDepartments) {
                    return .failure(refusal)
                }
                guard handoff.owner != agent else { return .success(handoff) }  // already theirs: nothing to write
                handoff.owner = agent
                try database.query("UPDATE handoff SET owner = ?, assigned_by = 'claim' WHERE id = ?", [.text(agent), .integer(id)])
                try database.query("UPDATE reference SET last_agent = ? WHERE digits = ?", [.text(agent), .text(handoff.reference.digits)])
                try database.query("INSERT INTO journey_event (reference, at, kind, detail, author) VALUES (?, ?, 'handoff', ?, ?)",
                                   [.text(handoff.reference.digits), .text(UTCTimestamp.string(unixMilliseconds: now)),
                                    .text("claimed hand-off \(id) in \(handoff.department)"), .text(agent)])
                return .success(handoff)
            }
        }
    }

    public func handoff(_ id: Int64) throws -> Handoff? {
        try settled { try read("WHERE id = ?", [.integer(id)]).first }
    }

    public func openHandoff(_ reference: ReferenceNumber) throws -> Handoff? {
        try settled { try read("WHERE reference = ? AND status = 'open' ORDER BY id DESC LIMIT 1", [.text(reference.digits)]).first }
    }

    public func handoffs(department: String?, openOnly: Bool) throws -> [Handoff] {
        try settled {
            var clauses: [String] = [], values: [SQLValue] = []
            if let department { clauses.append("department = ?"); values.append(.text(department)) }
            if openOnly { clauses.append("status = 'open'") }
            let filter = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
            return try read(filter + " ORDER BY id DESC", values)
        }
    }

    public func markOverdue(at now: Int64) throws -> [Handoff] {
        try settled {
            // Asked every second: a read, and a write only when something fell due.
            let due = try read("WHERE status = 'open' AND due_at <= ? AND overdue_at IS NULL ORDER BY id", [.integer(now)])
            guard !due.isEmpty else { return [] }
            return try database.transaction { () throws(StoreError) -> [Handoff] in
                for h in due {
                    try database.query("UPDATE handoff SET overdue_at = ? WHERE id = ?", [.integer(now), .integer(h.id)])
                }
                return due.map { var h = $0; h.overdueAt = now; return h }
            }
        }
    }

    public func chargeRepeat(_ reference: ReferenceNumber, department: String?, call: String) throws -> Handoff? {
        try settled {
            try database.transaction { () throws(StoreError) -> Handoff? in
                let open = try read("WHERE reference = ? AND status = 'open' ORDER BY id DESC LIMIT 1", [.text(reference.digits)]).first
                if let open {
                    try database.query("UPDATE handoff SET repeats = repeats + 1 WHERE id = ?", [.integer(open.id)])
                }
                // The detail is the department alone: repeat counts group by it.
                try database.query("INSERT INTO journey_event (reference, at, kind, detail, call) VALUES (?, ?, 'repeat', ?, ?)",
                                   [.text(reference.digits), .text(Self.timestamp(Date())), .text(department ?? "none"), .text(call)])
                return open.map { var h = $0; h.repeats += 1; return h }
            }
        }
    }

    /// Hand-offs matching `filter` (SQL after `FROM handoff`); the lock is held by the caller.
    private func read(_ filter: String, _ values: [SQLValue]) throws(StoreError) -> [Handoff] {
        try database.query(
            """
            SELECT id, reference, from_department, from_agent, department, note, created_at, due_at, owner, status, closed_at, overdue_at, repeats
            FROM handoff \(filter)
            """, values)
            .compactMap { r -> Handoff? in
                guard case .integer(let id) = r[0], case .text(let digits) = r[1], let reference = try? ReferenceNumber(parsing: digits),
                      case .text(let fromAgent) = r[3], case .text(let department) = r[4], case .text(let note) = r[5],
                      case .integer(let created) = r[6], case .text(let statusText) = r[9], let status = Handoff.Status(rawValue: statusText),
                      case .integer(let repeats) = r[12] else { return nil }
                return Handoff(id: id, reference: reference, fromDepartment: Self.text(r[2]), fromAgent: fromAgent, department: department,
                               note: note, createdAt: created, dueAt: Self.integer(r[7]), owner: Self.text(r[8]), status: status,
                               closedAt: Self.integer(r[10]), overdueAt: Self.integer(r[11]), repeats: Int(repeats))
            }
    }

    static func integer(_ value: SQLValue) -> Int64? {
        if case .integer(let v) = value { return v }
        return nil
    }
}
