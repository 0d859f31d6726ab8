/// The database schema, versioned (SQLite's `PRAGMA user_version`, PostgreSQL's
/// `throughline_schema` row) and migrated forward at open: each step runs once, in order.
/// SQLite's steps are here; PostgreSQL's, version for version, in `Schema+PostgreSQL.swift`.
public enum Schema {
    /// Migrations by version; index 0 takes a new file to version 1.
    public static let migrations: [String] = [
        """
        CREATE TABLE reference (
          digits      TEXT PRIMARY KEY,          -- ten digits, Damm check digit last
          issued_at   TEXT NOT NULL,             -- ISO 8601 UTC
          caller      TEXT NOT NULL,
          department  TEXT,                      -- the department that owns it, once known
          status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
          resolved_at TEXT
        );
        CREATE INDEX reference_by_caller ON reference (caller, issued_at);
        CREATE TABLE journey_event (
          id          INTEGER PRIMARY KEY,
          reference   TEXT NOT NULL REFERENCES reference (digits),
          at          TEXT NOT NULL,
          kind        TEXT NOT NULL,             -- menu, queue, agent, transfer, note, resolved, ...
          detail      TEXT NOT NULL,
          call        TEXT                       -- SIP Call-ID of the call it happened on
        );
        CREATE INDEX journey_by_reference ON journey_event (reference, id);
        """,
        // 2: who holds a reference and when it was last touched (repeat callers), note
        // authors, and finished calls' records.
        """
        ALTER TABLE reference ADD COLUMN last_agent TEXT;
        ALTER TABLE reference ADD COLUMN last_touched TEXT;
        UPDATE reference SET last_touched = issued_at;
        CREATE INDEX reference_open_by_caller ON reference (caller, status, last_touched);
        ALTER TABLE journey_event ADD COLUMN author TEXT;
        CREATE TABLE call_record (
          id          INTEGER PRIMARY KEY,
          sip_call_id TEXT NOT NULL,
          reference   TEXT REFERENCES reference (digits),
          ended_at    TEXT NOT NULL,
          record      TEXT NOT NULL             -- the record as JSON (what GET /api/records shows)
        );
        CREATE INDEX call_record_by_reference ON call_record (reference);
        """,
        // 3: a reference keeps its journey's size and newest event, and when it was last
        // touched, as each event is written (one trigger, whoever writes): a repeat caller's
        // lookup and a pop read one index entry and the newest events, never the whole
        // history (a number that calls all day used to be sorted on every call).
        """
        ALTER TABLE reference ADD COLUMN event_count INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE reference ADD COLUMN last_event INTEGER NOT NULL DEFAULT 0;
        UPDATE reference SET
          event_count = (SELECT count(*) FROM journey_event WHERE reference = digits),
          last_event = coalesce((SELECT max(id) FROM journey_event WHERE reference = digits), 0);
        CREATE TRIGGER journey_event_kept AFTER INSERT ON journey_event BEGIN
          UPDATE reference SET event_count = event_count + 1, last_event = NEW.id, last_touched = NEW.at
          WHERE digits = NEW.reference;
        END;
        DROP INDEX reference_open_by_caller;
        CREATE INDEX reference_open_by_caller_newest ON reference (caller, status, last_event, last_touched);
        """,
        // 4: agents' chosen status and their phones' registrations, so a restart or a crash
        // neither logs everyone back in nor leaves phones unreachable until they re-register.
        """
        CREATE TABLE agent_status (
          agent       TEXT PRIMARY KEY,
          status      TEXT NOT NULL CHECK (status IN ('available', 'paused', 'logged-out')),
          reason      TEXT,
          changed_at  TEXT NOT NULL
        );
        CREATE TABLE registration (
          login       TEXT PRIMARY KEY,
          contact     TEXT NOT NULL,
          expires_at  INTEGER NOT NULL               -- Unix milliseconds
        );
        """,
        // 5: hand-offs: a reference handed to a department, its owner there, its due time,
        // and the repeat calls it drew. The journey keeps the story (`handoff` events); this
        // table is what inboxes, claims and the overdue watch read.
        """
        CREATE TABLE handoff (
          id              INTEGER PRIMARY KEY,
          reference       TEXT NOT NULL REFERENCES reference (digits),
          from_department TEXT,
          from_agent      TEXT NOT NULL,
          department      TEXT NOT NULL,
          note            TEXT NOT NULL,
          created_at      INTEGER NOT NULL,         -- Unix milliseconds, like every time below
          due_at          INTEGER,
          owner           TEXT,                     -- NULL: in the department's inbox
          assigned_by     TEXT NOT NULL CHECK (assigned_by IN ('rule', 'claim', 'inbox')),
          status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'handed-on', 'resolved')),
          closed_at       INTEGER,
          overdue_at      INTEGER,
          repeats         INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX handoff_by_reference ON handoff (reference, status);
        CREATE INDEX handoff_by_department ON handoff (department, status, id);
        CREATE INDEX handoff_open_by_due ON handoff (status, due_at);
        """,
        // 6: the durable record of queue events (joined, answered, abandoned, overflowed,
        // emptied, completed, transferred), appended off the call path; reports read it. A
        // call's reason keeps the department that held the reference when it was given.
        """
        CREATE TABLE queue_event (
          id          INTEGER PRIMARY KEY,
          at          INTEGER NOT NULL,              -- Unix milliseconds
          event       TEXT NOT NULL,                 -- queue_log's verb: ENTERQUEUE, CONNECT, ABANDON, ...
          call_id     TEXT NOT NULL,                 -- the reference, else the SIP Call-ID
          queue       TEXT NOT NULL,
          agent       TEXT,
          department  TEXT,
          campaign    TEXT,
          caller      TEXT NOT NULL,
          wait_ms     INTEGER NOT NULL,
          talk_ms     INTEGER NOT NULL,
          position    INTEGER NOT NULL,
          within_sl   INTEGER NOT NULL,              -- CONNECT: answered within the queue's service level
          short       INTEGER NOT NULL,              -- ABANDON: within the queue's short-abandon time
          charged_to  TEXT                           -- a repeat call: the department it is charged to
        );
        CREATE INDEX queue_event_by_time ON queue_event (at);
        -- The same events summed per quarter hour, kept by a trigger as each event is written
        -- (by the recorder's thread, never a call's): by queue with its department and
        -- campaign, and by agent ('' for none). A report over a day reads about a hundred rows
        -- per group, not every event.
        CREATE TABLE queue_event_slot (
          slot        INTEGER NOT NULL,              -- the quarter hour's start, Unix ms
          queue       TEXT NOT NULL,
          department  TEXT NOT NULL,
          campaign    TEXT NOT NULL,
          event       TEXT NOT NULL,
          count       INTEGER NOT NULL,
          within_sl   INTEGER NOT NULL,
          short       INTEGER NOT NULL,
          wait_sum    INTEGER NOT NULL,
          wait_max    INTEGER NOT NULL,
          talk_sum    INTEGER NOT NULL,
          PRIMARY KEY (slot, queue, department, campaign, event)
        ) WITHOUT ROWID;
        CREATE TABLE queue_event_agent_slot (
          slot        INTEGER NOT NULL,
          agent       TEXT NOT NULL,
          event       TEXT NOT NULL,
          count       INTEGER NOT NULL,
          within_sl   INTEGER NOT NULL,
          short       INTEGER NOT NULL,
          wait_sum    INTEGER NOT NULL,
          wait_max    INTEGER NOT NULL,
          talk_sum    INTEGER NOT NULL,
          PRIMARY KEY (slot, agent, event)
        ) WITHOUT ROWID;
        CREATE TRIGGER queue_event_summed AFTER INSERT ON queue_event BEGIN
          INSERT INTO queue_event_slot VALUES (
            NEW.at - NEW.at % 900000, NEW.queue, coalesce(NEW.department, ''), coalesce(NEW.campaign, ''),
            NEW.event, 1, NEW.within_sl, NEW.short, NEW.wait_ms, NEW.wait_ms, NEW.talk_ms)
          ON CONFLICT DO UPDATE SET count = count + 1, within_sl = within_sl + excluded.within_sl, short = short + excluded.short,
            wait_sum = wait_sum + excluded.wait_sum, wait_max = max(wait_max, excluded.wait_max), talk_sum = talk_sum + excluded.talk_sum;
          INSERT INTO queue_event_agent_slot SELECT
            NEW.at - NEW.at % 900000, NEW.agent, NEW.event, 1, NEW.within_sl, NEW.short, NEW.wait_ms, NEW.wait_ms, NEW.talk_ms
          WHERE NEW.agent IS NOT NULL
          ON CONFLICT DO UPDATE SET count = count + 1, within_sl = within_sl + excluded.within_sl, short = short + excluded.short,
            wait_sum = wait_sum + excluded.wait_sum, wait_max = max(wait_max, excluded.wait_max), talk_sum = talk_sum + excluded.talk_sum;
        END;
        ALTER TABLE journey_event ADD COLUMN department TEXT;
        CREATE INDEX journey_by_kind_time ON journey_event (kind, at);
        CREATE INDEX handoff_by_created ON handoff (created_at);
        """,
        // 7: every change of an agent's chosen status, with its time, and the controller
        // stopping (`stopped`): how long each agent was available, for occupancy. History
        // starts with this version (the status in force before it has no start time).
        """
        CREATE TABLE agent_status_change (
          id          INTEGER PRIMARY KEY,
          agent       TEXT NOT NULL,
          at          INTEGER NOT NULL,              -- Unix milliseconds
          status      TEXT NOT NULL                  -- available, paused, logged-out, stopped
        );
        CREATE INDEX agent_status_change_by_agent ON agent_status_change (agent, at);
        CREATE INDEX agent_status_change_by_time ON agent_status_change (at);
        """,
        // 8: call backs: pending ones are put back in their queues at start, at their places
        // (joined_at); ended ones stay with how they ended.
        """
        CREATE TABLE callback (
          id            INTEGER PRIMARY KEY,
          number        TEXT NOT NULL,
          queue         TEXT NOT NULL,
          reference     TEXT,
          department    TEXT,
          priority      INTEGER NOT NULL,
          presented     TEXT NOT NULL,
          joined_at     INTEGER NOT NULL,            -- Unix milliseconds: the caller's place
          requested_at  INTEGER NOT NULL,
          attempts      INTEGER NOT NULL,
          retry_at      INTEGER,                     -- when the next attempt may be placed
          last_failure  TEXT,
          status        TEXT NOT NULL,               -- pending, connected, gave-up, cancelled, called-in, dropped
          ended_at      INTEGER
        );
        CREATE INDEX callback_pending ON callback (status, joined_at);
        """,
        // 9: the nodes sharing the store, each with its plan and last heartbeat: a node whose
        // plan differs from the live nodes' is refused at start.
        """
        CREATE TABLE node (
          name        TEXT PRIMARY KEY,              -- the SIP address it listens on
          plan_hash   TEXT NOT NULL,
          seen_at     INTEGER NOT NULL               -- Unix milliseconds of its last heartbeat
        );
        """,
        // 10: which node has which agent on a call (offered, talking, wrap-up): the other nodes
        // do not offer that agent meanwhile; a node no longer live holds nobody.
        """
        CREATE TABLE agent_engagement (
          agent       TEXT PRIMARY KEY,
          node        TEXT NOT NULL,                 -- a node's name, as in node
          since       INTEGER NOT NULL               -- Unix milliseconds
        );
        """,
        // 11: which node places each call back (a shared store): a node places only its own,
        // and takes over those of a node no longer live.
        """
        ALTER TABLE callback ADD COLUMN node TEXT;    -- the node that places it; NULL on a store of one node
        """,
        // 12: the callers waiting in queues on each node: every node puts the others' in line
        // with its own (one line across the cluster); a node's rows are replaced as a whole.
        """
        CREATE TABLE queue_waiter (
          node        TEXT NOT NULL,                 -- the node holding the call
          call        TEXT NOT NULL,                 -- the call there
          queue       TEXT NOT NULL,
          joined_at   INTEGER NOT NULL,              -- Unix milliseconds
          rank_at     INTEGER NOT NULL,              -- joined_at less the priority allowance
          agent       TEXT,                          -- only this agent may take them (last agent first)
          PRIMARY KEY (node, call)
        );
        """,
    ]

    public static var currentVersion: Int { migrations.count }

    /// Brings `database` to `currentVersion`; refuses a store newer than this program.
    public static func migrate(_ database: SQLDatabase) throws(StoreError) {
        guard database.dialect == .sqlite else { return try migratePostgreSQL(database) }
        let found = try version(of: database)
        guard found <= currentVersion else { throw newerThanThisProgram(found) }
        for version in found..<currentVersion {
            try database.transaction { () throws(StoreError) in
                try database.execute(migrations[version])
                try database.execute("PRAGMA user_version = \(version + 1)")
            }
        }
    }

    /// The version a store is at: SQLite's `PRAGMA user_version`, PostgreSQL's
    /// `throughline_schema` row (0 for an empty database).
    public static func version(of database: SQLDatabase) throws(StoreError) -> Int {
        let sql = database.dialect == .sqlite ? "PRAGMA user_version" : "SELECT max(version) FROM throughline_schema"
        guard case .integer(let found)? = try database.query(sql).first?.first else {
            throw StoreError(function: sql, code: -1, message: "no schema version")
        }
        return Int(found)
    }

    static func newerThanThisProgram(_ found: Int) -> StoreError {
        StoreError(function: "migrate", code: -1,
                   message: "the database is at schema version \(found), newer than this program's \(currentVersion)")
    }
}
