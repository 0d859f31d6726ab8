import CSQLite

/// One SQLite database file in WAL mode: with its `WALCheckpointer`, the only types that call
/// SQLite; `connect` and `check` are the places where a result code becomes a thrown
/// `StoreError` naming the function, for both.
///
/// Not thread-safe: its owner (the store) serialises every call.
public final class SQLiteDatabase: SQLDatabase {
    let handle: OpaquePointer
    public var dialect: SQLDialect { .sqlite }
    /// Prepared statements by their SQL, kept for the connection's life: the controller runs
    /// the same few statements for every call, and compiling one costs more than running it.
    private var statements: [String: OpaquePointer] = [:]
    /// Virtual-machine steps run by every statement so far (`SQLITE_STMTSTATUS_VM_STEP`):
    /// how much work a lookup did, which tests compare without a clock.
    public private(set) var stepsRun = 0
    /// Checkpoints the WAL off this connection (`WALCheckpointer` says why).
    private var checkpointer: WALCheckpointer?

    /// Opens (creating) the file: WAL journal, synchronous NORMAL (durable across a process
    /// crash, which is what `kill -9` tests), foreign keys on, 5 s busy timeout for readers
    /// such as `throughline ref show` while the controller writes, and the WAL checkpointed
    /// by a thread of its own rather than inside a COMMIT.
    public init(path: String) throws(StoreError) {
        let db = try Self.connect(path, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX)
        handle = db
        try check("sqlite3_busy_timeout", sqlite3_busy_timeout(db, 5000))
        try execute("PRAGMA journal_mode = WAL")
        try execute("PRAGMA synchronous = NORMAL")
        try execute("PRAGMA foreign_keys = ON")
        let checkpointer = try WALCheckpointer(path: path)  // a throw here closes `db` in deinit
        checkpointer.attach(to: db)
        self.checkpointer = checkpointer
    }

    deinit {
        sqlite3_wal_hook(handle, nil, nil)
        checkpointer?.stop()
        for statement in statements.values { sqlite3_finalize(statement) }
        sqlite3_close_v2(handle)
    }

    /// A connection to `path` opened with `flags`; when SQLite refuses, the half-open handle
    /// is closed and the refusal thrown. This connection's, and `WALCheckpointer`'s.
    static func connect(_ path: String, flags: Int32) throws(StoreError) -> OpaquePointer {
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open \(path)"
            sqlite3_close(db)
            throw StoreError(function: "sqlite3_open_v2", code: rc, message: message)
        }
        return db
    }

    /// Throws `rc` as an error naming `function`, with `db`'s message, unless it is a success.
    @inline(__always)
    static func check(_ function: StaticString, _ rc: Int32, on db: OpaquePointer) throws(StoreError) {
        guard rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW else {
            throw StoreError(function: "\(function)", code: rc, message: String(cString: sqlite3_errmsg(db)))
        }
    }

    @inline(__always)
    func check(_ function: StaticString, _ rc: Int32) throws(StoreError) {
        try Self.check(function, rc, on: handle)
    }

    /// Runs SQL with no parameters and no rows (schema, pragmas, transactions).
    public func execute(_ sql: String) throws(StoreError) {
        try check("sqlite3_exec", sqlite3_exec(handle, sql, nil, nil, nil))
    }

    /// The value type both databases share (the name older callers and tests use).
    public typealias Value = SQLValue

    /// Runs one statement with parameters and returns its rows (each a column array). The
    /// statement is prepared once per SQL text and reset after each use.
    @discardableResult
    public func query(_ sql: String, _ parameters: [Value]) throws(StoreError) -> [[Value]] {
        let statement = try prepared(sql)
        defer {
            stepsRun += Int(sqlite3_stmt_status(statement, SQLITE_STMTSTATUS_VM_STEP, 1))
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        for (index, parameter) in parameters.enumerated() {
            let position = Int32(index + 1)
            switch parameter {
            case .integer(let v): try check("sqlite3_bind_int64", sqlite3_bind_int64(statement, position, v))
            case .text(let v): try check("sqlite3_bind_text", sqlite3_bind_text(statement, position, v, -1, SQLITE_TRANSIENT))
            case .null: try check("sqlite3_bind_null", sqlite3_bind_null(statement, position))
            }
        }
        var rows: [[Value]] = []
        while true {
            let rc = sqlite3_step(statement)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else { try check("sqlite3_step", rc); break }
            rows.append((0..<sqlite3_column_count(statement)).map { column in
                switch sqlite3_column_type(statement, column) {
                case SQLITE_INTEGER: return .integer(sqlite3_column_int64(statement, column))
                case SQLITE_NULL: return .null
                default: return .text(String(cString: sqlite3_column_text(statement, column)))
                }
            })
        }
        return rows
    }

    private func prepared(_ sql: String) throws(StoreError) -> OpaquePointer {
        if let statement = statements[sql] { return statement }
        var statement: OpaquePointer?
        try check("sqlite3_prepare_v2", sqlite3_prepare_v2(handle, sql, -1, &statement, nil))
        guard let statement else { throw StoreError(function: "sqlite3_prepare_v2", code: -1, message: "no statement in \(sql)") }
        statements[sql] = statement
        return statement
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    public func transaction<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }
}

/// SQLite's "copy the bytes now" destructor, which Swift cannot import as a macro.
let SQLITE_TRANSIENT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
