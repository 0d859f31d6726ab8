/// Walks a command's arguments one at a time, where an option's value is the argument after
/// it: what each of `ThroughlineCommandLine`'s parsers loops over.
struct ArgumentCursor {
    private let arguments: [String]
    private var index: Int

    init(_ arguments: [String], from start: Int = 0) {
        self.arguments = arguments
        index = start
    }

    /// The next argument, or nil after the last.
    mutating func next() -> String? {
        guard index < arguments.count else { return nil }
        defer { index += 1 }
        return arguments[index]
    }

    /// The value of `option` (the argument after it), or the usage error saying it is missing.
    mutating func value(of option: String) throws(UsageError) -> String {
        guard let value = next() else { throw UsageError("\(option) needs a value") }
        return value
    }
}
