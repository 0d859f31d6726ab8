/// A database call that failed: which function, the engine's result code (SQLite's) or
/// SQLSTATE (PostgreSQL's), and the engine's message.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public let function: String
    /// SQLite's result code; -1 for PostgreSQL and for the store's own refusals.
    public let code: Int32
    public let message: String
    /// PostgreSQL's five-character SQLSTATE, when PostgreSQL answered.
    public var sqlState: String?

    public init(function: String, code: Int32, message: String, sqlState: String? = nil) {
        self.function = function
        self.code = code
        self.message = message
        self.sqlState = sqlState
    }

    public var description: String {
        if let sqlState { return "\(function) failed: \(message) (SQLSTATE \(sqlState))" }
        return "\(function) failed: \(message) (SQLite code \(code))"
    }

    /// A unique or primary key refused the row (SQLITE_CONSTRAINT, SQLSTATE 23505): a drawn
    /// reference number that exists already.
    public var isUniqueViolation: Bool {
        if let sqlState { return sqlState == "23505" }
        return code & 0xFF == 19
    }

    /// PostgreSQL gave up a transaction for another's sake (serialization failure 40001,
    /// deadlock 40P01): running it again is the documented answer.
    var isRetryableConflict: Bool { sqlState == "40001" || sqlState == "40P01" }
}
