import Foundation
import ThroughlineCore

/// References, their journeys and call records in SQLite (`<data>/throughline.sqlite`) or in
/// a PostgreSQL database several nodes share. A reference is written (and committed) before
/// the call is routed anywhere, and a number is never issued twice: the primary key refuses a
/// collision (on any node) and a new number is drawn.
///
/// Thread-safe: one lock serialises every use of the database connection (the controller
/// thread issues references, the journey writer stores what `appendSoon` and `setHolderSoon`
/// queued, HTTP threads read and add notes), and every use but the writer's own and `issue`'s
/// waits first for what was queued before it (`settled`).
public final class ReferenceStore: ReferenceBook, @unchecked Sendable {
    let database: any SQLDatabase
    let lock = NSLock()
    /// Journey events queued by `appendSoon`, written in order, off the controller thread.
    private let journeyWriter = DispatchQueue(label: "throughline.journey")
    private var generator: any RandomNumberGenerator
    /// This node's name on a shared store (`ClusterNode.name`), nil on a store of one node:
    /// call backs are saved as this node's, and only its own are restored. Set by the runner
    /// before the first call (under the lock).
    var ownNode: String?

    /// Sets this node's name on a shared store, and names its PostgreSQL session after it
    /// (`ReferenceStore.sessionName`), which is how the other nodes tell it is alive. Called
    /// once by the runner, before `pendingCallbacks()`.
    public func setNode(_ name: String) throws {
        try settled {
            ownNode = name
            try (database as? PostgresDatabase)?.nameSession(Self.sessionName(name))
        }
    }

    /// Opens (creating and migrating) `<folder>/throughline.sqlite`. References are drawn
    /// from `generator` (the system's by default; seeded in tests).
    public convenience init(folder: String, generator: any RandomNumberGenerator = SystemRandomNumberGenerator()) throws {
        try self.init(location: .folder(folder), generator: generator)
    }

    /// Opens (creating and migrating) the store at `location`.
    public init(location: StoreLocation, generator: any RandomNumberGenerator = SystemRandomNumberGenerator()) throws {
        switch location {
        case .folder(let folder):
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            database = try SQLiteDatabase(path: folder + "/throughline.sqlite")
        case .postgresql(let url):
            database = try PostgresDatabase(url: url)
        }
        self.generator = generator
        try Schema.migrate(database)
    }

    public var dialect: SQLDialect { database.dialect }

    /// Runs `body` under the connection's lock once the journey events queued before now are
    /// stored, so whatever it reads or writes comes after them. Every method goes through here
    /// but the writer's own `insertJourney`; never called on the writer's queue.
    func settled<T>(_ body: () throws -> T) rethrows -> T {
        waitForQueuedJourney()
        return try lock.withLock(body)
    }

    /// Waits until every journey write queued so far is stored (every use of the store, and
    /// the runner before it exits).
    public func waitForQueuedJourney() { journeyWriter.sync {} }

    /// Queues `write` (which takes the lock itself) on the journey writer, after what is queued.
    private func later(_ failed: @escaping @Sendable (any Error) -> Void, _ write: @escaping @Sendable () throws -> Void) {
        journeyWriter.async {
            do { try write() } catch { failed(error) }
        }
    }

    /// Called on the controller thread: the events are stored on the journey writer, in the
    /// order queued, in one transaction per call of this.
    public func appendSoon(_ entries: [JourneyEntry], failed: @escaping @Sendable (any Error) -> Void) {
        guard !entries.isEmpty else { return }
        later(failed) { [self] in try insertJourney(entries) }
    }

    public var schemaVersion: Int {
        settled { (try? Schema.version(of: database)) ?? 0 }
    }

    /// Work SQLite has done for this store so far, in virtual-machine steps: what a test
    /// compares to show a lookup's cost does not grow with a caller's history.
    public var statementSteps: Int { settled { database.stepsRun } }

    // MARK: ReferenceBook

    /// Called on the controller thread for every new caller: takes the connection's lock but
    /// does not wait for the queued journey writes (`settled`), which only touch references
    /// that exist already, so none can change what this insert does or sees; waiting for them
    /// held each arrival behind every event queued before it (BENCHMARKS.md, 2026-12-03,
    /// third sitting).
    public func issue(caller: String, call: String, detail: String) throws -> ReferenceNumber {
        try lock.withLock {
            let now = Self.timestamp(Date())
            for _ in 0..<100 {
                let reference = ReferenceNumber.random(using: &generator)
                do {
                    return try database.transaction { () throws(StoreError) -> ReferenceNumber in
                        try database.query("INSERT INTO reference (digits, issued_at, caller, last_touched) VALUES (?, ?, ?, ?)",
                                           [.text(reference.digits), .text(now), .text(caller), .text(now)])
                        // The schema's trigger counts it and marks the reference touched.
                        try database.query("INSERT INTO journey_event (reference, at, kind, detail, call) VALUES (?, ?, 'call', ?, ?)",
                                           [.text(reference.digits), .text(now), .text(detail), .text(call)])
                        return reference
                    }
                } catch let error as StoreError where error.isUniqueViolation {
                    continue  // the number exists (perhaps issued by another node): draw another
                }
            }
            throw StoreError(function: "issue", code: -1, message: "no free reference number after 100 draws")
        }
    }

    public func find(_ reference: ReferenceNumber, lastEvents: Int?) throws -> ReferenceSummary? {
        try settled { try summary(reference.digits, lastEvents: lastEvents) }
    }

    public func openReference(caller: String, within window: Duration) throws -> ReferenceSummary? {
        guard !caller.isEmpty, window > .zero else { return nil }
        let since = Self.timestamp(Date().addingTimeInterval(-Double(window.components.seconds)))
        return try settled {
            // The latest journey event decides (timestamps can tie within a millisecond);
            // the index walks the caller's open references newest first and stops at one
            // (SQLite is told which index; PostgreSQL's planner picks it).
            let hint = database.dialect == .sqlite ? " INDEXED BY reference_open_by_caller_newest" : ""
            let rows = try database.query(
                """
                SELECT digits FROM reference\(hint)
                WHERE caller = ? AND status = 'open' AND last_touched >= ?
                ORDER BY last_event DESC LIMIT 1
                """,
                [.text(caller), .text(since)])
            guard case .text(let digits)? = rows.first?.first else { return nil }
            return try summary(digits, lastEvents: 0)
        }
    }

    public func references(caller: String) throws -> [ReferenceSummary] {
        try settled {
            // Newest first; within one millisecond, the later written (SQLite's rowid, PostgreSQL's seq).
            let written = database.dialect == .sqlite ? "rowid" : "seq"
            return try database.query("SELECT digits FROM reference WHERE caller = ? ORDER BY issued_at DESC, \(written) DESC", [.text(caller)])
                .compactMap { row -> ReferenceSummary? in
                    guard case .text(let digits)? = row.first else { return nil }
                    return try summary(digits)
                }
        }
    }

    public func append(_ entries: [JourneyEntry]) throws {
        waitForQueuedJourney()
        try insertJourney(entries)
    }

    /// `append` without waiting for the queue: the journey writer's own call.
    private func insertJourney(_ entries: [JourneyEntry]) throws {
        guard !entries.isEmpty else { return }
        try lock.withLock {
            let now = Self.timestamp(Date())
            try database.transaction { () throws(StoreError) in
                for e in entries {  // each marks its reference touched (the schema's trigger)
                    try database.query("INSERT INTO journey_event (reference, at, kind, detail, call, author) VALUES (?, ?, ?, ?, ?, ?)",
                                       [.text(e.reference.digits), .text(now), .text(e.kind.rawValue), .text(e.detail), Self.value(e.call), Self.value(e.author)])
                }
            }
        }
    }

    public func setHolder(_ reference: ReferenceNumber, department: String?, agent: String?) throws {
        try settled { try updateHolder(reference, department: department, agent: agent) }
    }

    /// Called on the controller thread: the holder is written on the journey writer, after the
    /// events queued before it.
    public func setHolderSoon(_ reference: ReferenceNumber, department: String?, agent: String?, failed: @escaping @Sendable (any Error) -> Void) {
        later(failed) { [self] in try lock.withLock { try updateHolder(reference, department: department, agent: agent) } }
    }

    /// The holder's update itself, under the lock the caller holds.
    private func updateHolder(_ reference: ReferenceNumber, department: String?, agent: String?) throws {
        _ = try database.query("UPDATE reference SET department = coalesce(?, department), last_agent = coalesce(?, last_agent) WHERE digits = ?",
                               [Self.value(department), Self.value(agent), .text(reference.digits)])
    }

    public func resolve(_ reference: ReferenceNumber, by author: String, note: String?) throws -> Bool {
        try settled {
            let now = Self.timestamp(Date())
            return try database.transaction { () throws(StoreError) -> Bool in
                let rows = try database.query("SELECT status FROM reference WHERE digits = ?", [.text(reference.digits)])
                guard case .text("open")? = rows.first?.first else { return false }
                try database.query("UPDATE reference SET status = 'resolved', resolved_at = ? WHERE digits = ?",
                                   [.text(now), .text(reference.digits)])
                try database.query("INSERT INTO journey_event (reference, at, kind, detail, author) VALUES (?, ?, 'resolved', ?, ?)",
                                   [.text(reference.digits), .text(now), .text(note ?? ""), .text(author)])
                // Its department's hand-off is answered for: it leaves the inbox.
                try database.query("UPDATE handoff SET status = 'resolved', closed_at = ? WHERE reference = ? AND status = 'open'",
                                   [.integer(Self.milliseconds(Date())), .text(reference.digits)])
                return true
            }
        }
    }

    public func recordReason(_ reference: ReferenceNumber, reason: String, by author: String) throws {
        try settled {
            try database.transaction { () throws(StoreError) in
                // The department holding the reference now (the one whose customer this was)
                // is kept on the event, for reports of what each department's customers call about.
                try database.query(
                    """
                    INSERT INTO journey_event (reference, at, kind, detail, author, department)
                    VALUES (?, ?, 'reason', ?, ?, (SELECT department FROM reference WHERE digits = ?))
                    """,
                    [.text(reference.digits), .text(Self.timestamp(Date())), .text(reason), .text(author), .text(reference.digits)])
                let withReason = database.dialect == .sqlite
                    ? "json_set(record, '$.reason', ?)" : "jsonb_set(record::jsonb, '{reason}', to_jsonb(?::text))::text"
                try database.query(
                    "UPDATE call_record SET record = \(withReason) WHERE id = (SELECT max(id) FROM call_record WHERE reference = ?)",
                    [.text(reason), .text(reference.digits)])
            }
        }
    }

    public func saveCallRecord(json: String, reference: ReferenceNumber?, sipCallID: String) throws {
        try settled {
            _ = try database.query("INSERT INTO call_record (sip_call_id, reference, ended_at, record) VALUES (?, ?, ?, ?)",
                               [.text(sipCallID), Self.value(reference?.digits), .text(Self.timestamp(Date())), .text(json)])
        }
    }

    public func repeatCounts() throws -> [String: Int] {
        try settled {
            var counts: [String: Int] = [:]
            for row in try database.query("SELECT detail, count(*) FROM journey_event WHERE kind = 'repeat' GROUP BY detail") {
                guard case .text(let department) = row[0], case .integer(let n) = row[1] else { continue }
                counts[department] = Int(n)
            }
            return counts
        }
    }

    /// Finished calls' records (JSON) for a reference, oldest first.
    public func callRecords(_ reference: ReferenceNumber) throws -> [String] {
        try settled {
            try database.query("SELECT record FROM call_record WHERE reference = ? ORDER BY id", [.text(reference.digits)]).compactMap {
                if case .text(let json)? = $0.first { json } else { nil }
            }
        }
    }

    public func count() throws -> Int {
        try settled {
            if case .integer(let n)? = try database.query("SELECT count(*) FROM reference").first?.first { return Int(n) }
            return 0
        }
    }

    // MARK: -

    /// Reads one reference and its events (the newest `lastEvents` when given); the lock is
    /// held by the caller.
    private func summary(_ digits: String, lastEvents: Int? = nil) throws -> ReferenceSummary? {
        let rows = try database.query(
            "SELECT caller, issued_at, status, department, last_agent, coalesce(last_touched, issued_at), event_count FROM reference WHERE digits = ?",
            [.text(digits)])
        guard let row = rows.first, case .text(let caller) = row[0], case .text(let issued) = row[1], case .text(let status) = row[2],
              case .text(let touched) = row[5], case .integer(let eventCount) = row[6],
              let reference = try? ReferenceNumber(parsing: digits) else { return nil }
        let events = lastEvents == 0 ? [] : try database.query(
            // The newest events by id (-1: no limit), put back in order.
            "SELECT at, kind, detail, call, author FROM (SELECT id, at, kind, detail, call, author FROM journey_event WHERE reference = ? ORDER BY id DESC LIMIT ?) AS newest ORDER BY id",
            // No limit: SQLite's -1, PostgreSQL's NULL.
            [.text(digits), lastEvents.map { .integer(Int64($0)) } ?? (database.dialect == .sqlite ? .integer(-1) : .null)])
            .compactMap { e -> ReferenceSummary.Event? in
                guard case .text(let at) = e[0], case .text(let kind) = e[1], case .text(let detail) = e[2] else { return nil }
                return .init(at: at, kind: kind, detail: detail, call: Self.text(e[3]), author: Self.text(e[4]))
            }
        return ReferenceSummary(reference: reference, caller: caller, issuedAt: issued, status: status, department: Self.text(row[3]),
                                lastAgent: Self.text(row[4]), lastTouched: touched, events: events, eventCount: Int(eventCount))
    }

    static func value(_ text: String?) -> SQLValue { text.map { .text($0) } ?? .null }
    static func text(_ value: SQLValue) -> String? {
        if case .text(let t) = value { return t }
        return nil
    }

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }

    static func timestamp(_ date: Date) -> String {
        UTCTimestamp.string(unixMilliseconds: milliseconds(date))
    }
}
