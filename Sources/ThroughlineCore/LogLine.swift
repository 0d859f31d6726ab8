/// One structured log line: an event name and key-value fields, printed logfmt style
/// (`level=info event=call.arrived call=7 from=5551234`), one event a line.
///
/// Values with spaces, quotes, `=` or control characters are quoted and escaped, so a
/// hostile SIP header can never break a line in two or forge a field.
public struct LogLine: Sendable, Equatable {
    public enum Level: String, Sendable, Comparable {
        case debug, info, warning, error

        var severity: Int {
            switch self {
            case .debug: 0
            case .info: 1
            case .warning: 2
            case .error: 3
            }
        }

        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.severity < rhs.severity }
    }

    public var level: Level
    public var event: String
    public var fields: [(String, String)]

    public init(_ level: Level, _ event: String, _ fields: [(String, String)] = []) {
        self.level = level
        self.event = event
        self.fields = fields
    }

    /// The line without a timestamp; the logger prefixes `ts=…`.
    public func formatted() -> String {
        var out = "level=\(level.rawValue) event=\(Self.quoteIfNeeded(event))"
        for (key, value) in fields {
            out += " \(key)=\(Self.quoteIfNeeded(value))"
        }
        return out
    }

    static func quoteIfNeeded(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.unicodeScalars.contains { scalar in
            scalar == " " || scalar == "\"" || scalar == "=" || scalar == "\\" || scalar.value < 0x20 || scalar.value == 0x7F
        }
        guard needsQuotes else { return value }
        var escaped = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    escaped += "\\x" + String(scalar.value, radix: 16, uppercase: false).leftPadded(to: 2)
                } else {
                    escaped.unicodeScalars.append(scalar)
                }
            }
        }
        return escaped + "\""
    }

    public static func == (lhs: LogLine, rhs: LogLine) -> Bool {
        lhs.formatted() == rhs.formatted()
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
