/// The database schema, versioned with `PRAGMA user_version` and migrated forward at open:
/// each step runs once, in order, in its own transaction.
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
    ]

    public static var currentVersion: Int { migrations.count }

    /// Brings `database` to `currentVersion`; refuses a file newer than this program.
    public static func migrate(_ database: SQLiteDatabase) throws(StoreError) {
        let rows = try database.query("PRAGMA user_version")
        guard case .integer(let found)? = rows.first?.first else {
            throw StoreError(function: "PRAGMA user_version", code: -1, message: "no schema version")
        }
        guard found <= Int64(currentVersion) else {
            throw StoreError(function: "migrate", code: -1,
                             message: "the database is at schema version \(found), newer than this program's \(currentVersion)")
        }
        for version in Int(found)..<currentVersion {
            try database.transaction { () throws(StoreError) in
                try database.execute(migrations[version])
                try database.execute("PRAGMA user_version = \(version + 1)")
            }
        }
    }
}
