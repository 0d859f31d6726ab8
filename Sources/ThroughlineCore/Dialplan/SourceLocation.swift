/// A place in a dialplan file: the file's path as given, 1-based line and column.
public struct SourceLocation: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:col`, or just `file` for a diagnostic about a whole file or folder.
    public var description: String { line == 0 ? file : "\(file):\(line):\(column)" }

    /// How another place is named from here: `line 12` in the same file, else in full.
    public func reference(from here: SourceLocation) -> String {
        file == here.file ? "line \(line)" : description
    }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.file, a.line, a.column) < (b.file, b.line, b.column)
    }
}

/// A value with the place it was written, so the checker can point at it.
public struct Located<Value: Sendable & Hashable>: Sendable, Hashable {
    public var value: Value
    public var location: SourceLocation

    public init(_ value: Value, at location: SourceLocation) {
        self.value = value
        self.location = location
    }
}
