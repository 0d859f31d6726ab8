/// A SQLite call that failed: which function, its result code, and SQLite's message.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public let function: String
    public let code: Int32
    public let message: String

    public var description: String { "\(function) failed: \(message) (SQLite code \(code))" }
}
