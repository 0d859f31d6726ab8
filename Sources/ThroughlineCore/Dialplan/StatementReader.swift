/// Reads the tokens of one statement left to right. Every read either returns a value or
/// throws the diagnostic that says what was expected, at the place it was expected.
public struct StatementReader {
    public let tokens: [Token]
    /// Where the statement ends (for "expected … at end of line").
    public let endOfLine: SourceLocation
    private(set) var index = 0

    public init(tokens: [Token], endOfLine: SourceLocation) {
        self.tokens = tokens
        self.endOfLine = endOfLine
    }

    public var isAtEnd: Bool { index >= tokens.count }
    public var peek: Token? { isAtEnd ? nil : tokens[index] }
    var here: SourceLocation { peek?.location ?? endOfLine }

    func error(_ expected: String) -> Diagnostic {
        if let token = peek { return .error(token.location, "expected \(expected), found \(token.spelling)") }
        return .error(endOfLine, "expected \(expected) at end of line")
    }

    /// Any word (keyword or name), with its location.
    public mutating func word(_ expected: String) throws(Diagnostic) -> Located<String> {
        guard let token = peek, case .word(let w) = token.kind else { throw error(expected) }
        index += 1
        return Located(w, at: token.location)
    }

    /// A name: `[a-z][a-z0-9-]*`.
    public mutating func name(_ what: String) throws(Diagnostic) -> Located<String> {
        let w = try word(what)
        guard Self.isValidName(w.value) else {
            throw .error(w.location, "bad \(what) '\(w.value)' (names are lower-case letters, digits and '-', starting with a letter)")
        }
        return w
    }

    public static func isValidName(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first >= "a" && first <= "z" else { return false }
        return s.unicodeScalars.allSatisfy { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "-" }
    }

    /// The keyword `word` if it is next; consumes it.
    public mutating func accept(_ word: String) -> Bool {
        guard let token = peek, case .word(let w) = token.kind, w == word else { return false }
        index += 1
        return true
    }

    public mutating func expect(_ kind: Token.Kind, _ expected: String) throws(Diagnostic) {
        guard let token = peek, token.kind == kind else { throw error(expected) }
        index += 1
    }

    public mutating func string(_ what: String) throws(Diagnostic) -> Located<String> {
        guard let token = peek, case .string(let s) = token.kind else { throw error("\(what) (a string in double quotes)") }
        index += 1
        return Located(s, at: token.location)
    }

    /// A prompt name: a string naming a file under the prompt folder, without `.wav`.
    public mutating func prompt(_ what: String) throws(Diagnostic) -> Located<String> {
        let s = try string(what)
        guard !s.value.isEmpty, !s.value.contains("/"), !s.value.hasPrefix("."), !s.value.hasSuffix(".wav") else {
            throw .error(s.location, "bad prompt '\(s.value)' (a file name under the prompt folder, without '.wav', e.g. \"main-greeting\")")
        }
        return s
    }

    /// A whole number within `range`.
    public mutating func number(_ what: String, in range: ClosedRange<Int>) throws(Diagnostic) -> Located<Int> {
        guard let token = peek, case .numeric(let text) = token.kind else { throw error(what) }
        guard text.unicodeScalars.allSatisfy({ $0 >= "0" && $0 <= "9" }), let value = Int(text) else {
            throw .error(token.location, "bad number '\(text)' for \(what) (whole numbers only)")
        }
        guard range.contains(value) else {
            throw .error(token.location, "\(what) must be from \(range.lowerBound) to \(range.upperBound), not \(value)")
        }
        index += 1
        return Located(value, at: token.location)
    }

    /// A duration: a whole number and a unit, `ms`, `s`, `m`, `h` or `d`, within `range`.
    public mutating func duration(_ what: String, in range: ClosedRange<Duration>) throws(Diagnostic) -> Duration {
        guard let token = peek, case .numeric(let text) = token.kind else { throw error("\(what) (a duration such as 5s)") }
        guard let value = Self.parseDuration(text) else {
            throw .error(token.location, "bad duration '\(text)' (a whole number and a unit: ms, s, m, h or d, e.g. 5s)")
        }
        guard range.contains(value) else {
            throw .error(token.location, "\(what) must be from \(Self.format(range.lowerBound)) to \(Self.format(range.upperBound)), not \(text)")
        }
        index += 1
        return value
    }

    public static func parseDuration(_ text: String) -> Duration? {
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 9, let n = Int64(digits) else { return nil }
        switch text.dropFirst(digits.count) {
        case "ms": return .milliseconds(n)
        case "s": return .seconds(n)
        case "m": return .seconds(n * 60)
        case "h": return .seconds(n * 3600)
        case "d": return .seconds(n * 86400)
        default: return nil
        }
    }

    /// `90s` → "90s", `2m` → "2m": the shortest exact spelling.
    public static func format(_ d: Duration) -> String {
        let ms = d.wholeMilliseconds
        for (unit, size) in [("d", Int64(86_400_000)), ("h", 3_600_000), ("m", 60_000), ("s", 1000)] where ms >= size && ms % size == 0 {
            return "\(ms / size)\(unit)"
        }
        return "\(ms)ms"
    }

    /// `yes` or `no`.
    public mutating func yesNo(_ what: String) throws(Diagnostic) -> Bool {
        let w = try word("yes or no for \(what)")
        switch w.value {
        case "yes": return true
        case "no": return false
        default: throw .error(w.location, "expected yes or no for \(what), found '\(w.value)'")
        }
    }

    /// `off`, `optional` or `mandatory` (the `srtp` statements).
    public mutating func srtpMode() throws(Diagnostic) -> SRTPMode {
        let w = try word("off, optional or mandatory for srtp")
        guard let mode = SRTPMode(rawValue: w.value) else {
            let all = SRTPMode.allCases.map(\.rawValue)
            throw .error(w.location, "unknown srtp mode '\(w.value)'\(Suggestion.didYouMean(w.value, among: all)) (off, optional, mandatory)")
        }
        return mode
    }

    /// `-> TARGET`.
    public mutating func arrowTarget() throws(Diagnostic) -> Located<Target> {
        try expect(.arrow, "'->' and a target")
        return try target()
    }

    /// `menu NAME`, `queue NAME`, `hunt NAME`, `callback QUEUE`, `reference`, `repeat`, `back` or `hangup`.
    public mutating func target() throws(Diagnostic) -> Located<Target> {
        let kinds = ["menu", "queue", "hunt", "callback", "reference", "repeat", "back", "hangup"]
        let kind = try word("a target (menu NAME, queue NAME, hunt NAME, callback QUEUE, reference, repeat, back or hangup)")
        let target: Target
        switch kind.value {
        case "menu": target = .menu(try name("menu name").value)
        case "queue": target = .queue(try name("queue name").value)
        case "hunt": target = .hunt(try name("hunt name").value)
        case "callback": target = .callback(try name("queue name").value)
        case "reference": target = .reference
        case "repeat": target = .repeatMenu
        case "back": target = .back
        case "hangup": target = .hangup
        default:
            throw .error(kind.location, "unknown target '\(kind.value)'\(Suggestion.didYouMean(kind.value, among: kinds)) (targets: menu NAME, queue NAME, hunt NAME, callback QUEUE, reference, repeat, back, hangup)")
        }
        return Located(target, at: kind.location)
    }

    /// One of an enum's words (`strategy ring-all`, `callback mode customer-first`); another
    /// word is refused naming the nearest and every choice.
    public mutating func choice<T: RawRepresentable & CaseIterable>(_ what: String, expected: String) throws(Diagnostic) -> T
    where T.RawValue == String {
        let w = try word(expected)
        let all = T.allCases.map(\.rawValue)
        guard let value = T(rawValue: w.value) else {
            throw .error(w.location, "unknown \(what) '\(w.value)'\(Suggestion.didYouMean(w.value, among: all)) (\(all.joined(separator: ", ")))")
        }
        return value
    }

    /// One or more items separated by commas.
    public mutating func list<T>(_ item: (inout StatementReader) throws(Diagnostic) -> T) throws(Diagnostic) -> [T] {
        var items = [try item(&self)]
        while let token = peek, token.kind == .comma {
            index += 1
            items.append(try item(&self))
        }
        return items
    }

    /// `skill>=level` (also `skill=level`, `skill>level`).
    public mutating func skillRequirement() throws(Diagnostic) -> SkillRequirement {
        let skill = try name("skill name")
        guard let token = peek, case .comparison(let op) = token.kind, op == ">=" || op == ">" || op == "=" else {
            throw error("'>=' and a level after skill '\(skill.value)'")
        }
        index += 1
        let level = try number("skill level", in: 0...10)
        return SkillRequirement(skill: skill.value, minimum: op == ">" ? level.value + 1 : level.value, location: skill.location)
    }

    /// Nothing more on the line.
    public func expectEnd() throws(Diagnostic) {
        guard let token = peek else { return }
        throw .error(token.location, "unexpected \(token.spelling) at end of statement")
    }
}
