import Foundation
import CPostgres

/// One connection to a PostgreSQL database (libpq): the only type that calls libpq, and the
/// one place (`check`) where a failed result becomes a thrown `StoreError` naming the
/// function and carrying PostgreSQL's SQLSTATE. The store's statements are written with `?`
/// placeholders; this connection numbers them (`$1`, `$2`, …) once per statement text.
///
/// Not thread-safe: its owner (the store) serialises every call.
public final class PostgresDatabase: SQLDatabase {
    let connection: OpaquePointer
    public var dialect: SQLDialect { .postgresql }
    public var stepsRun: Int { 0 }
    /// Statement texts with their placeholders numbered, by the text the store wrote.
    private var numbered: [String: String] = [:]
    /// Prepared statements' names on this connection, by the text the store wrote.
    private var prepared: [String: String] = [:]
    /// When a lost connection last failed to open again: the next try waits a second, so a
    /// store that is gone costs each call a thrown error, not a connection attempt.
    private var lastFailedReconnect: ContinuousClock.Instant?
    /// Statements that set a session up, run on the first connection and again on every new
    /// one after a loss.
    private var sessionSetup = ["SET client_min_messages = warning"]

    /// Names this connection's session `name` (`application_name`, which every session of the
    /// database can read in `pg_stat_activity`), now and after any reconnection: the other
    /// nodes see a node's session end the moment its process dies. Called under the owner's lock.
    public func nameSession(_ name: String) throws(StoreError) {
        let printable = String(name.unicodeScalars.map { $0.isASCII && $0.value >= 32 && $0 != "'" ? Character($0) : "?" })
        let statement = "SET application_name = '\(printable)'"
        sessionSetup.append(statement)
        try execute(statement)
    }

    /// Connects to `url` (`postgresql://user@host:port/database`, or any libpq connection
    /// string). Gives up after 5 s unless the URL sets its own `connect_timeout`; warnings only
    /// (PostgreSQL's notices, such as "relation already exists, skipping", are not errors).
    public init(url: String) throws(StoreError) {
        // Keywords in order: the URL (expanded, as dbname) overrides the default timeout.
        // TCP keepalives and a user timeout: a server that vanishes without closing the
        // connection (a host down, a cable pulled) fails a statement within about 5 s.
        let keywords = ["connect_timeout", "keepalives", "keepalives_idle", "keepalives_interval", "keepalives_count", "tcp_user_timeout",
                        "dbname", "application_name"]
        let values = ["5", "1", "5", "1", "3", "5000", url, "throughline"]
        // Both arrays end with NULL, as libpq reads them.
        let conn = Self.withOptionalCStrings(keywords + [nil]) { k in
            Self.withOptionalCStrings(values + [nil]) { v in PQconnectdbParams(k, v, 1) }
        }
        guard let conn else { throw StoreError(function: "PQconnectdbParams", code: -1, message: "out of memory") }
        guard PQstatus(conn) == CONNECTION_OK else {
            let message = Self.trimmed(PQerrorMessage(conn))
            PQfinish(conn)
            throw StoreError(function: "PQconnectdbParams", code: -1, message: message, sqlState: "08001")
        }
        connection = conn
        for statement in sessionSetup { try execute(statement) }
    }

    deinit { PQfinish(connection) }

    public func execute(_ sql: String) throws(StoreError) {
        try reconnectIfLost()
        let result = PQexec(connection, sql)
        defer { PQclear(result) }
        try check("PQexec", result)
    }

    @discardableResult
    public func query(_ sql: String, _ parameters: [SQLValue]) throws(StoreError) -> [[SQLValue]] {
        try reconnectIfLost()
        let text = numberedPlaceholders(sql)
        // Integers go as int8 (a parameter in a select list, or LIMIT, has no other way to
        // learn its type); text and NULL as "unknown", typed by where they are used.
        let types: [Oid] = parameters.map { if case .integer = $0 { 20 } else { 0 } }
        let strings: [String?] = parameters.map {
            switch $0 {
            case .integer(let v): String(v)
            case .text(let v): v
            case .null: nil
            }
        }
        let name = try preparedName(sql, text: text, types: types)
        let result = Self.withOptionalCStrings(strings) { values in
            PQexecPrepared(connection, name, Int32(parameters.count), values, nil, nil, 0)
        }
        defer { PQclear(result) }
        try check("PQexecPrepared", result)
        guard PQresultStatus(result) == PGRES_TUPLES_OK else { return [] }
        let rowCount = PQntuples(result), columnCount = PQnfields(result)
        let integerColumns = (0..<columnCount).map { column in
            // int2, int4, int8, oid, numeric (sum() of int8), bool
            [21, 23, 20, 26, 1700, 16].contains(PQftype(result, column))
        }
        var rows: [[SQLValue]] = []
        rows.reserveCapacity(Int(rowCount))
        for row in 0..<rowCount {
            rows.append((0..<columnCount).map { column -> SQLValue in
                if PQgetisnull(result, row, column) == 1 { return .null }
                let value = String(cString: PQgetvalue(result, row, column))
                guard integerColumns[Int(column)] else { return .text(value) }
                if value == "t" { return .integer(1) }
                if value == "f" { return .integer(0) }
                return Int64(value).map { .integer($0) } ?? .text(value)
            })
        }
        return rows
    }

    /// Listens on `channel` (PostgreSQL's `LISTEN`), now and again after any reconnection.
    /// Called on the listener's thread, which owns this connection.
    public func listen(_ channel: String) throws(StoreError) {
        let statement = "LISTEN " + channel
        sessionSetup.append(statement)
        try execute(statement)
    }

    /// The payloads of the notifications that arrived (`NOTIFY`, `pg_notify`), waiting at
    /// most `timeout` for the first; empty when none came. A lost connection throws, and the
    /// next call opens it again (listening again). Called on the listener's thread.
    public func notifications(within timeout: Duration) throws(StoreError) -> [String] {
        try reconnectIfLost()
        var payloads = drainNotifications()
        guard payloads.isEmpty else { return payloads }
        var socket = pollfd(fd: PQsocket(connection), events: Int16(POLLIN), revents: 0)
        guard socket.fd >= 0 else { throw StoreError(function: "PQsocket", code: -1, message: "no connection", sqlState: "08006") }
        let milliseconds = Int32(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        guard poll(&socket, 1, milliseconds) > 0 else { return [] }
        guard PQconsumeInput(connection) == 1 else {
            throw StoreError(function: "PQconsumeInput", code: -1, message: Self.trimmed(PQerrorMessage(connection)), sqlState: "08006")
        }
        payloads = drainNotifications()
        return payloads
    }

    private func drainNotifications() -> [String] {
        var payloads: [String] = []
        while let notification = PQnotifies(connection) {
            payloads.append(String(cString: notification.pointee.extra))
            PQfreemem(notification)
        }
        return payloads
    }

    /// Serializable, so that a rule applied inside (two claims of one hand-off, say) holds
    /// across nodes as it does within one process; a transaction PostgreSQL gives up for
    /// another's sake runs again, up to five times.
    public func transaction<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        var attempt = 0
        while true {
            try execute("BEGIN ISOLATION LEVEL SERIALIZABLE")
            do {
                let result = try body()
                try execute("COMMIT")
                return result
            } catch {
                try? execute("ROLLBACK")
                attempt += 1
                guard error.isRetryableConflict, attempt < 5 else { throw error }
            }
        }
    }

    // MARK: -

    /// The server-side prepared statement for `sql` (parsed and planned once per connection,
    /// as SQLite's are): its name, prepared on first use with the parameter types of that use.
    /// A connection opened again has none, so the names are forgotten with it.
    private func preparedName(_ sql: String, text: String, types: [Oid]) throws(StoreError) -> String {
        if let name = prepared[sql] { return name }
        let name = "s\(prepared.count + 1)"
        let result = PQprepare(connection, name, text, Int32(types.count), types)
        defer { PQclear(result) }
        try check("PQprepare", result)
        prepared[sql] = name
        return name
    }

    /// A connection lost (the server restarted, the network dropped) is opened again before
    /// the next statement; if that fails the statement fails with the reason.
    private func reconnectIfLost() throws(StoreError) {
        guard PQstatus(connection) == CONNECTION_BAD else { return }
        let now = ContinuousClock.now
        if let last = lastFailedReconnect, now - last < .seconds(1) {
            throw StoreError(function: "PQreset", code: -1, message: "the store is unreachable (tried again less than a second ago)", sqlState: "08006")
        }
        PQreset(connection)
        guard PQstatus(connection) == CONNECTION_OK else {
            lastFailedReconnect = now
            throw StoreError(function: "PQreset", code: -1, message: Self.trimmed(PQerrorMessage(connection)), sqlState: "08006")
        }
        lastFailedReconnect = nil
        prepared.removeAll()  // the new session has none
        for statement in sessionSetup { try execute(statement) }
    }

    private func check(_ function: String, _ result: OpaquePointer?) throws(StoreError) {
        let status = PQresultStatus(result)
        guard status != PGRES_COMMAND_OK, status != PGRES_TUPLES_OK, status != PGRES_EMPTY_QUERY else { return }
        let sqlState = result.flatMap { PQresultErrorField($0, Int32(UInt8(ascii: "C"))) }.map { String(cString: $0) } ?? "08006"
        let message = result.flatMap { PQresultErrorMessage($0) }.map { Self.trimmed($0) } ?? Self.trimmed(PQerrorMessage(connection))
        throw StoreError(function: function, code: -1, message: message, sqlState: sqlState)
    }

    /// `?` → `$1`, `$2`, … outside quoted strings, identifiers and comments.
    private func numberedPlaceholders(_ sql: String) -> String {
        if let done = numbered[sql] { return done }
        var out = "", n = 0
        var quote: Character?, lineComment = false, previous: Character = " "
        for c in sql {
            if lineComment {
                if c == "\n" { lineComment = false }
            } else if let q = quote {
                if c == q { quote = nil }
            } else if c == "'" || c == "\"" {
                quote = c
            } else if c == "-" && previous == "-" {
                lineComment = true
            } else if c == "?" {
                n += 1
                out += "$\(n)"
                previous = c
                continue
            }
            out.append(c)
            previous = c
        }
        numbered[sql] = out
        return out
    }

    private static func trimmed(_ message: UnsafePointer<CChar>?) -> String {
        guard let message else { return "unknown error" }
        return String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// C copies of `strings` (NULL for nil, as libpq reads a NULL parameter) for the call's length.
    private static func withOptionalCStrings<R>(_ strings: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
        let copies = strings.map { $0.map { strdup($0) } ?? nil }
        defer { copies.forEach { free($0) } }
        return body(copies.map { $0.map { UnsafePointer($0) } })
    }
}
