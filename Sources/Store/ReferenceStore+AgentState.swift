import Foundation
import ThroughlineCore

/// Agents' status and registrations in the same file as the references (schema version 4).
/// Called on the controller thread; the store's lock serialises it with the HTTP threads.
extension ReferenceStore: AgentStateBook {
    public func saveStatus(agent: String, _ status: AgentStatus) throws {
        let now = Date()
        try settled {
            try database.transaction { () throws(StoreError) in
                try database.query(
                    "INSERT INTO agent_status (agent, status, reason, changed_at) VALUES (?, ?, ?, ?) "
                        + "ON CONFLICT (agent) DO UPDATE SET status = excluded.status, reason = excluded.reason, changed_at = excluded.changed_at",
                    [.text(agent), .text(status.word), status.reason.map { .text($0) } ?? .null, .text(Self.timestamp(now))])
                try database.query("INSERT INTO agent_status_change (agent, at, status) VALUES (?, ?, ?)",
                                   [.text(agent), .integer(Int64((now.timeIntervalSince1970 * 1000).rounded(.down))), .text(status.word)])
                try notifyLine(from: ownNode, .agents)  // the other nodes apply it now, not at their next read
            }
        }
    }

    public func agentsStopped(at: Int64) throws {
        try settled {
            _ = try database.query(
                """
                INSERT INTO agent_status_change (agent, at, status)
                SELECT agent, ?, 'stopped' FROM agent_status_change c
                WHERE id = (SELECT max(id) FROM agent_status_change WHERE agent = c.agent) AND status <> 'stopped'
                """, [.integer(at)])
        }
    }

    public func saveRegistration(login: String, contact: String?, expiresAtUnixMilliseconds: Int64) throws {
        try settled {
            guard let contact else {
                try database.query("DELETE FROM registration WHERE login = ?", [.text(login)])
                return
            }
            try database.query(
                "INSERT INTO registration (login, contact, expires_at) VALUES (?, ?, ?) "
                    + "ON CONFLICT (login) DO UPDATE SET contact = excluded.contact, expires_at = excluded.expires_at",
                [.text(login), .text(contact), .integer(expiresAtUnixMilliseconds)])
        }
    }

    public func savedAgentState() throws -> SavedAgentState {
        try settled {
            var saved = SavedAgentState()
            for row in try database.query("SELECT agent, status, reason FROM agent_status") {
                guard case .text(let agent) = row[0], case .text(let word) = row[1],
                      let status = AgentStatus(word: word, reason: Self.text(row[2])) else { continue }
                saved.statuses[agent] = status
            }
            for row in try database.query("SELECT login, contact, expires_at FROM registration") {
                guard case .text(let login) = row[0], case .text(let contact) = row[1], case .integer(let expires) = row[2] else { continue }
                saved.registrations[login] = .init(contact: contact, expiresAtUnixMilliseconds: expires)
            }
            return saved
        }
    }
}
