import Foundation
import ThroughlineCore

/// References and their journeys in SQLite. A reference is written (and committed) before
/// the call is routed anywhere, and a number is never issued twice: the primary key refuses
/// a collision and a new number is drawn.
///
/// Thread-safe: one lock serialises every use of the database connection.
public final class ReferenceStore: @unchecked Sendable {
    private let database: SQLiteDatabase
    private let lock = NSLock()

    /// Opens (creating and migrating) `<folder>/throughline.sqlite`.
    public init(folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        database = try SQLiteDatabase(path: folder + "/throughline.sqlite")
        try Schema.migrate(database)
    }

    public var schemaVersion: Int {
        lock.withLock {
            if case .integer(let v)? = (try? database.query("PRAGMA user_version"))?.first?.first { return Int(v) }
            return 0
        }
    }

    /// Issues a new reference for `caller`, committed before it returns.
    public func issue(caller: String, at date: Date, using generator: inout some RandomNumberGenerator) throws -> ReferenceNumber {
        try lock.withLock {
            for _ in 0..<100 {
                let reference = ReferenceNumber.random(using: &generator)
                do {
                    try database.query("INSERT INTO reference (digits, issued_at, caller) VALUES (?, ?, ?)",
                                       [.text(reference.digits), .text(Self.timestamp(date)), .text(caller)])
                    return reference
                } catch let error as StoreError where error.code & 0xFF == 19 {
                    continue  // SQLITE_CONSTRAINT: the number exists; draw another
                }
            }
            throw StoreError(function: "issue", code: -1, message: "no free reference number after 100 draws")
        }
    }

    /// Adds a step to a reference's journey.
    public func record(_ reference: ReferenceNumber, kind: String, detail: String, call: String?, at date: Date) throws {
        try lock.withLock {
            try database.query("INSERT INTO journey_event (reference, at, kind, detail, call) VALUES (?, ?, ?, ?, ?)",
                               [.text(reference.digits), .text(Self.timestamp(date)), .text(kind), .text(detail), call.map { .text($0) } ?? .null])
        }
    }

    public struct Journey: Equatable, Sendable {
        public var reference: ReferenceNumber
        public var caller: String
        public var status: String
        public var events: [(kind: String, detail: String)]

        public static func == (a: Journey, b: Journey) -> Bool {
            a.reference == b.reference && a.caller == b.caller && a.status == b.status
                && a.events.map { "\($0.kind)|\($0.detail)" } == b.events.map { "\($0.kind)|\($0.detail)" }
        }
    }

    /// A reference and its journey, or nil when it was never issued.
    public func journey(_ reference: ReferenceNumber) throws -> Journey? {
        try lock.withLock {
            let rows = try database.query("SELECT caller, status FROM reference WHERE digits = ?", [.text(reference.digits)])
            guard let row = rows.first, case .text(let caller) = row[0], case .text(let status) = row[1] else { return nil }
            let events = try database.query("SELECT kind, detail FROM journey_event WHERE reference = ? ORDER BY id", [.text(reference.digits)])
                .compactMap { event -> (String, String)? in
                    guard case .text(let kind) = event[0], case .text(let detail) = event[1] else { return nil }
                    return (kind, detail)
                }
            return Journey(reference: reference, caller: caller, status: status, events: events)
        }
    }

    public func count() throws -> Int {
        try lock.withLock {
            if case .integer(let n)? = try database.query("SELECT count(*) FROM reference").first?.first { return Int(n) }
            return 0
        }
    }

    static func timestamp(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: date)
    }
}
