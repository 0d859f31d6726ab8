/// Reads the dialplan language into a `Dialplan`, reporting every syntax error at once.
///
/// Pure and total: any text yields a plan (possibly partial) and diagnostics, never a crash.
/// Statements are one a line; blocks are `kind name {` … `}` with the braces as shown.
public enum DialplanParser {
    public struct SourceFile: Sendable {
        public var path: String
        public var text: String
        public init(path: String, text: String) {
            self.path = path
            self.text = text
        }
    }

    static let blockKinds = ["settings", "department", "agent", "menu", "hunt", "queue", "campaign", "route"]

    public static func parse(_ files: [SourceFile]) -> (plan: Dialplan, diagnostics: [Diagnostic]) {
        var state = State()
        for file in files { state.parse(file) }
        return (state.plan, state.diagnostics.sorted())
    }

    /// Which block the parser is inside.
    enum Block {
        case settings
        case department(Department)
        case agent(Agent)
        case menu(Menu)
        case hunt(Hunt)
        case queue(Queue)
        case campaign(Campaign)

        var kind: String {
            switch self {
            case .settings: "settings"
            case .department: "department"
            case .agent: "agent"
            case .menu: "menu"
            case .hunt: "hunt"
            case .queue: "queue"
            case .campaign: "campaign"
            }
        }
    }

    struct State {
        var plan = Dialplan()
        var diagnostics: [Diagnostic] = []
        var block: Block?
        var blockStart = SourceLocation(file: "", line: 0, column: 0)
        var blockName = ""
        /// Statements already given in the current block (for "given twice").
        var seen: [String: SourceLocation] = [:]
        var settingsSeen: SourceLocation?

        mutating func parse(_ file: SourceFile) {
            var lineNumber = 0
            // Split on scalars: as a Character, "\r\n" is one grapheme, and a file saved with
            // CRLF line ends would otherwise read as a single line.
            for scalars in file.text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false) {
                let line = Substring(String(String.UnicodeScalarView(scalars)))
                lineNumber += 1
                let (tokens, lexErrors) = Lexer.tokens(of: line, file: file.path, line: lineNumber)
                diagnostics += lexErrors
                guard !tokens.isEmpty else { continue }
                // A line the lexer could not read is not parsed further (one error, not a
                // cascade), except for the braces that keep blocks in step.
                if !lexErrors.isEmpty {
                    if case .word(let keyword) = tokens[0].kind { markBroken(keyword) }
                    if block != nil, tokens[0].kind == .closeBrace { closeBlock() }
                    else if block == nil, tokens.last?.kind == .openBrace { open(.settings, name: "", at: tokens[0].location, discard: true) }
                    continue
                }
                let end = SourceLocation(file: file.path, line: lineNumber, column: line.unicodeScalars.count + 1)
                if block != nil {
                    if tokens[0].kind == .closeBrace {
                        if tokens.count > 1 {
                            diagnostics.append(.error(tokens[1].location, "unexpected \(tokens[1].spelling) after '}' (one statement a line)"))
                        }
                        closeBlock()
                    } else if !discardBlock {
                        statement(StatementReader(tokens: tokens, endOfLine: end))
                    }
                } else {
                    topLevel(StatementReader(tokens: tokens, endOfLine: end))
                }
            }
            if block != nil {
                diagnostics.append(.error(blockStart, "\(blockDescription) is not closed (missing '}' before the end of the file)"))
                closeBlock()
            }
        }

        /// Notes that a statement of the current block (or a route) was written but unreadable.
        mutating func markBroken(_ keyword: String) {
            if block == nil {
                if keyword == "route" { plan.brokenStatements.insert("route") }
            } else if let block, !discardBlock {
                plan.brokenStatements.insert("\(block.kind) \(blockName) \(keyword)")
            }
        }

        var blockDescription: String {
            guard let block else { return "" }
            if case .settings = block { return "block 'settings'" }
            return "block '\(block.kind) \(blockName)'"
        }

        mutating func topLevel(_ reader: StatementReader) {
            var r = reader
            do throws(Diagnostic) {
                let kind = try r.word("a block (settings, department, agent, menu, hunt, queue, campaign) or a route")
                switch kind.value {
                case "route":
                    try route(&r, at: kind.location)
                    return
                case "settings":
                    try r.expect(.openBrace, "'{' after 'settings'")
                    try r.expectEnd()
                    if let first = settingsSeen {
                        diagnostics.append(.warning(kind.location, "a second settings block; its statements are added to the one at \(first)"))
                    }
                    settingsSeen = settingsSeen ?? kind.location
                    open(.settings, name: "", at: kind.location)
                case "department", "agent", "menu", "hunt", "queue", "campaign":
                    let name = try r.name("\(kind.value) name")
                    try r.expect(.openBrace, "'{' after '\(kind.value) \(name.value)'")
                    if !r.isAtEnd {
                        throw Diagnostic.error(r.peek!.location, "statements go on their own lines after '{'")
                    }
                    let block: Block = switch kind.value {
                    case "department": .department(Department(name: name))
                    case "agent": .agent(Agent(name: name))
                    case "menu": .menu(Menu(name: name))
                    case "hunt": .hunt(Hunt(name: name))
                    case "campaign": .campaign(Campaign(name: name))
                    default: .queue(Queue(name: name))
                    }
                    open(block, name: name.value, at: kind.location)
                default:
                    throw Diagnostic.error(kind.location, "unknown block '\(kind.value)'\(Suggestion.didYouMean(kind.value, among: blockKinds)) (blocks: settings, department, agent, menu, hunt, queue, campaign, and route lines)")
                }
            } catch {
                diagnostics.append(error)
                if case .word("route")? = reader.tokens.first?.kind { markBroken("route") }
                // A bad block header still opens a block when it ends in '{', so its body is
                // not misread as top-level lines.
                if reader.tokens.last?.kind == .openBrace, block == nil {
                    open(.settings, name: "", at: reader.tokens[0].location, discard: true)
                }
            }
        }

        var discardBlock = false

        mutating func open(_ block: Block, name: String, at location: SourceLocation, discard: Bool = false) {
            self.block = block
            blockName = name
            blockStart = location
            seen = [:]
            discardBlock = discard
        }

        mutating func closeBlock() {
            defer { block = nil; discardBlock = false }
            guard !discardBlock, let block else { return }
            switch block {
            case .settings: break
            case .department(let d): plan.departments.append(d)
            case .agent(let a): plan.agents.append(a)
            case .menu(let m): plan.menus.append(m)
            case .hunt(let h): plan.hunts.append(h)
            case .queue(let q): plan.queues.append(q)
            case .campaign(let c): plan.campaigns.append(c)
            }
        }

        mutating func route(_ r: inout StatementReader, at location: SourceLocation) throws(Diagnostic) {
            var number: String?
            if r.accept("default") {
                number = nil
            } else {
                let n = try r.string("a dialled number in quotes, or 'default'")
                guard !n.value.isEmpty, n.value.unicodeScalars.allSatisfy({ Self.isDialable($0) }) else {
                    throw .error(n.location, "bad number \"\(n.value)\" (digits, letters, '+', '*', '#', '.', '-' and '_' only)")
                }
                number = n.value
            }
            var campaigns: [Located<String>] = []
            var priority = 0
            while !r.isAtEnd, r.peek?.kind != .arrow {
                if r.accept("campaign") {
                    // A name, or (as plans before campaign blocks wrote it) a name in quotes.
                    campaigns += try r.list { (r: inout StatementReader) throws(Diagnostic) in
                        if case .string? = r.peek?.kind {
                            let c = try r.string("a campaign name")
                            guard StatementReader.isValidName(c.value) else {
                                throw .error(c.location, "bad campaign name \"\(c.value)\" (names are lower-case letters, digits and '-', starting with a letter)")
                            }
                            return c
                        }
                        return try r.name("campaign name")
                    }
                } else if r.accept("priority") {
                    priority = try r.number("priority", in: 0...100).value
                } else {
                    throw r.error("'campaign', 'priority' or '->'")
                }
            }
            let target = try r.arrowTarget()
            try r.expectEnd()
            if target.value == .repeatMenu || target.value == .back {
                throw .error(target.location, "'\(target.value)' only makes sense as a menu option")
            }
            plan.routes.append(Route(number: number, campaigns: campaigns, priority: priority, target: target, location: location))
        }

        static func isDialable(_ s: Unicode.Scalar) -> Bool {
            (s >= "0" && s <= "9") || (s >= "a" && s <= "z") || (s >= "A" && s <= "Z") || "+*#.-_".unicodeScalars.contains(s)
        }

        mutating func statement(_ reader: StatementReader) {
            var r = reader
            do throws(Diagnostic) {
                let keyword = try r.word("a statement")
                guard var current = block else { return }
                let known = DialplanParser.statements(for: current)
                guard known.contains(keyword.value) else {
                    let hint = Suggestion.didYouMean(keyword.value, among: known)
                    if let meant = Suggestion.closest(keyword.value, among: known) { markBroken(meant) }
                    let inside = current.kind == "settings" ? "settings" : (current.kind == "agent" ? "an agent" : "a \(current.kind)")
                    throw Diagnostic.error(keyword.location, "unknown statement '\(keyword.value)' in \(inside)\(hint)")
                }
                if !DialplanParser.repeatable.contains(keyword.value) {
                    if let first = seen[keyword.value] {
                        throw Diagnostic.error(keyword.location, "'\(keyword.value)' is given twice in \(blockDescription) (first at \(first.reference(from: keyword.location)))")
                    }
                    seen[keyword.value] = keyword.location
                }
                try DialplanParser.apply(keyword, to: &current, reading: &r, plan: &plan)
                try r.expectEnd()
                block = current
            } catch {
                diagnostics.append(error)
                if case .word(let keyword)? = reader.tokens.first?.kind { markBroken(keyword) }
            }
        }
    }
}
