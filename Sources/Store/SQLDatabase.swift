/// One connection to the store's database, SQLite or PostgreSQL: the store's statements go
/// through these four calls and nothing else.
///
/// Not thread-safe: its owner (`ReferenceStore`) serialises every call with its lock.
public protocol SQLDatabase: AnyObject {
    var dialect: SQLDialect { get }

    /// Runs SQL with no parameters and no rows (schema, transactions); may hold several
    /// statements separated by semicolons.
    func execute(_ sql: String) throws(StoreError)

    /// Runs one statement, `?` marking each parameter in order, and returns its rows (each a
    /// column array). Integer columns come back as `.integer`, everything else as `.text`.
    @discardableResult
    func query(_ sql: String, _ parameters: [SQLValue]) throws(StoreError) -> [[SQLValue]]

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    /// `body` may run more than once (PostgreSQL retries a transaction that lost a conflict
    /// with another node's), so it does nothing but database work.
    func transaction<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T

    /// Work done by every statement so far, where the engine counts it (SQLite's
    /// virtual-machine steps; 0 for PostgreSQL): what tests compare without a clock.
    var stepsRun: Int { get }
}

extension SQLDatabase {
    @discardableResult
    public func query(_ sql: String) throws(StoreError) -> [[SQLValue]] { try query(sql, []) }
}
