/// One error or warning about a dialplan, printed compiler style:
/// `dialplans/main.dialplan:14:17: error: queue 'suport' is not defined (did you mean 'support'?)`.
public struct Diagnostic: Error, Sendable, Hashable, Comparable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable { case error, warning }

    public var severity: Severity
    public var location: SourceLocation
    public var message: String

    public init(_ severity: Severity, _ location: SourceLocation, _ message: String) {
        self.severity = severity
        self.location = location
        self.message = message
    }

    public static func error(_ location: SourceLocation, _ message: String) -> Diagnostic { Diagnostic(.error, location, message) }
    public static func warning(_ location: SourceLocation, _ message: String) -> Diagnostic { Diagnostic(.warning, location, message) }

    public var description: String { "\(location): \(severity.rawValue): \(message)" }

    /// File, line, column order; errors before warnings at the same place.
    public static func < (a: Diagnostic, b: Diagnostic) -> Bool {
        if a.location != b.location { return a.location < b.location }
        if a.severity != b.severity { return a.severity == .error }
        return a.message < b.message
    }
}

extension Array where Element == Diagnostic {
    public var hasErrors: Bool { contains { $0.severity == .error } }
    public var errors: [Diagnostic] { filter { $0.severity == .error } }
    public var warnings: [Diagnostic] { filter { $0.severity == .warning } }
}
