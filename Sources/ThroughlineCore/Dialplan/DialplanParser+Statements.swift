/// The statements each block accepts, and how each is read. `dialplans/README.md` documents
/// every one with its default; keep the two in step.
extension DialplanParser {
    /// Statements that may appear more than once in a block (they add up).
    static let repeatable: Set<String> = ["option", "expand", "handles", "skills", "members", "departments", "callback", "callback-numbers"]

    static let oneSecondToOneHour: ClosedRange<Duration> = .seconds(1) ... .seconds(3600)

    static func statements(for block: Block) -> [String] {
        switch block {
        case .settings: ["prompts", "language", "music", "repeat-caller-window", "last-agent-first", "no-answer-delay", "priority-weight",
                         "auth-failures", "auth-failure-window", "auth-block", "flood-limit", "flood-window", "trusted", "user-agent", "srtp",
                         "send-silence", "outbound", "callback-numbers", "warn-when", "alarm-when"]
        case .department: ["title", "handles", "entry", "assign", "handoff-due"]
        case .agent: ["name", "contact", "login", "secret", "skills", "departments", "srtp"]
        case .menu: ["greeting", "reprompt", "invalid", "no-input", "timeout", "digit-timeout", "attempts",
                     "terminator", "option", "on-failure", "say-reference", "barge-in"]
        case .hunt: ["mode", "ring", "add-every", "members", "on-no-answer", "music"]
        case .queue: ["department", "require", "prefer", "strategy", "ring", "wrap-up", "music", "announce-position",
                      "expand", "max-wait", "join-empty", "leave-empty", "on-empty", "no-answer-delay", "wrap-up-reason",
                      "service-level", "short-abandon", "warn-when", "alarm-when", "callback"]
        case .campaign: ["title", "department", "starts", "ends", "expected", "message", "notice"]
        }
    }

    static func apply(
        _ keyword: Located<String>, to block: inout Block, reading r: inout StatementReader, plan: inout Dialplan
    ) throws(Diagnostic) {
        switch block {
        case .settings:
            switch keyword.value {
            case "prompts":
                let folder = try r.string("a folder, relative to the dialplan folder")
                guard !folder.value.isEmpty else { throw .error(folder.location, "empty prompt folder") }
                plan.settings.prompts = folder
            case "language":
                let language = try r.string("a language, the name of a shipped prompt pack such as \"en\"")
                guard !language.value.isEmpty, language.value.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || $0 == "-" || $0 == "_" }) else {
                    throw .error(language.location, "a language is letters, '-' and '_' (the name of a shipped prompt pack, such as \"en\")")
                }
                plan.settings.language = language
            case "music": plan.settings.music = try r.prompt("a music prompt")
            case "repeat-caller-window":
                plan.settings.repeatCallerWindow = try r.duration("repeat-caller-window", in: .seconds(0) ... .seconds(365 * 86400))
            case "last-agent-first": plan.settings.lastAgentFirst = try r.duration("last-agent-first", in: .seconds(0) ... .seconds(600))
            case "no-answer-delay": plan.settings.noAnswerDelay = try r.duration("no-answer-delay", in: .seconds(0) ... .seconds(3600))
            case "priority-weight": plan.settings.priorityWeight = try r.duration("priority-weight", in: .seconds(0) ... .seconds(3600))
            case "auth-failures": plan.settings.authFailures = try r.number("auth-failures", in: 0 ... 1000).value
            case "auth-failure-window":
                plan.settings.authFailureWindow = try r.duration("auth-failure-window", in: .seconds(1) ... .seconds(86400))
            case "auth-block": plan.settings.authBlock = try r.duration("auth-block", in: .seconds(1) ... .seconds(30 * 86400))
            case "flood-limit": plan.settings.floodLimit = try r.number("flood-limit", in: 0 ... 1_000_000).value
            case "flood-window": plan.settings.floodWindow = try r.duration("flood-window", in: .seconds(1) ... .seconds(60))
            case "trusted":
                plan.settings.trusted += try r.list { (r: inout StatementReader) throws(Diagnostic) in
                    let address = try r.string("an IP address never blocked nor shed, such as \"10.0.0.5\"")
                    guard HostPort.isIPAddress(address.value) else {
                        throw .error(address.location, "'\(address.value)' is not an IP address (trusted takes addresses such as \"10.0.0.5\" or \"::1\")")
                    }
                    return address.value
                }
            case "user-agent":
                let name = try r.string("what the SIP User-Agent and Server headers say, such as \"Throughline\"")
                guard name.value.count <= 100, name.value.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) else {
                    throw .error(name.location, "a user-agent is at most 100 printable ASCII characters (it is sent as a SIP header)")
                }
                plan.settings.userAgent = name.value
            case "srtp": plan.settings.srtp = try r.srtpMode()
            case "send-silence": plan.settings.sendSilence = try r.yesNo("send-silence")
            case "outbound": plan.settings.outbound = try outbound(&r)
            case "callback-numbers":
                plan.settings.callbackNumbers += try r.list { (r: inout StatementReader) throws(Diagnostic) in
                    let text = try r.string("a number pattern such as \"_1NXXNXXXXXX\" or \"5551234\"")
                    do throws(CallbackNumberPattern.Failure) {
                        return try CallbackNumberPattern(text.value)
                    } catch {
                        throw .error(text.location, "bad number pattern '\(text.value)': \(error.why)")
                    }
                }
            case "warn-when": plan.settings.warnWhen = try TileThresholds.read(&r, "warn-when")
            case "alarm-when": plan.settings.alarmWhen = try TileThresholds.read(&r, "alarm-when")
            default: break
            }

        case .department(var d):
            switch keyword.value {
            case "title": d.title = try r.string("a title").value
            case "handles": d.handles += try r.list { (r: inout StatementReader) throws(Diagnostic) in try r.string("a subject the department handles").value }
            case "entry": d.entry = try r.arrowTarget()
            case "assign":
                let w = try r.word("an assignment rule")
                guard let rule = HandoffAssignment(rawValue: w.value) else {
                    let all = HandoffAssignment.allCases.map(\.rawValue)
                    throw .error(w.location, "unknown assignment rule '\(w.value)'\(Suggestion.didYouMean(w.value, among: all)) (\(all.joined(separator: ", ")))")
                }
                d.assign = Located(rule, at: w.location)
            case "handoff-due":
                let due = try r.duration("handoff-due", in: .seconds(0) ... HandoffRules.longestDue)
                d.handoffDue = due == .zero ? nil : due
            default: break
            }
            block = .department(d)

        case .agent(var a):
            switch keyword.value {
            case "name": a.fullName = try r.string("the agent's full name").value
            case "srtp": a.srtp = try r.srtpMode()
            case "contact":
                let c = try r.string("a SIP URI")
                let lower = c.value.lowercased()
                guard (lower.hasPrefix("sip:") || lower.hasPrefix("sips:")), c.value.contains("@") || c.value.count > 4,
                      !c.value.contains(" ") else {
                    throw .error(c.location, "bad contact \"\(c.value)\" (a SIP URI such as \"sip:alice@127.0.0.1:6001\")")
                }
                a.contact = c
            case "login":
                let l = try r.string("a login name")
                guard !l.value.isEmpty, l.value.unicodeScalars.allSatisfy({ State.isDialable($0) }) else {
                    throw .error(l.location, "bad login \"\(l.value)\" (letters, digits, '+', '.', '-' and '_')")
                }
                a.login = l
            case "secret":
                let s = try r.string("the registration secret")
                guard s.value.count >= 8 else { throw .error(s.location, "secret too short (at least 8 characters)") }
                a.secret = s
            case "skills":
                let pairs = try r.list { (r: inout StatementReader) throws(Diagnostic) -> (Located<String>, Located<Int>) in
                    let skill = try r.name("skill name")
                    guard let token = r.peek, token.kind == .comparison("=") else { throw r.error("'=' and a level after skill '\(skill.value)'") }
                    try r.expect(.comparison("="), "'='")
                    return (skill, try r.number("skill level", in: 1...10))
                }
                for (skill, level) in pairs {
                    if let earlier = a.skills[skill.value] {
                        let first = earlier.location.line == skill.location.line ? "" : " (first at \(earlier.location.reference(from: skill.location)))"
                        throw .error(skill.location, "skill '\(skill.value)' is given twice for agent '\(a.name.value)'\(first)")
                    }
                    a.skills[skill.value] = level
                }
            case "departments": a.departments += try r.list { (r: inout StatementReader) throws(Diagnostic) in try r.name("department name") }
            default: break
            }
            block = .agent(a)

        case .menu(var m):
            switch keyword.value {
            case "greeting": m.greeting = try r.prompt("a greeting prompt")
            case "reprompt": m.reprompt = try r.prompt("a reprompt prompt")
            case "invalid": m.invalid = try r.prompt("an invalid-option prompt")
            case "no-input": m.noInput = try r.prompt("a no-input prompt")
            case "timeout": m.timeout = try r.duration("timeout", in: oneSecondToOneHour)
            case "digit-timeout": m.digitTimeout = try r.duration("digit-timeout", in: .milliseconds(500) ... .seconds(60))
            case "attempts": m.attempts = try r.number("attempts", in: 1...10).value
            case "terminator":
                if r.accept("none") {
                    m.terminator = nil
                } else {
                    let t = try r.string("\"#\", \"*\" or none")
                    guard t.value == "#" || t.value == "*" else { throw .error(t.location, "terminator must be \"#\", \"*\" or none") }
                    m.terminator = t.value.first
                }
            case "option":
                let keys = try optionKeys(&r)
                let target = try r.arrowTarget()
                m.options.append(Menu.Option(keys: keys.value, target: target, location: keys.location))
            case "on-failure":
                let t = try r.arrowTarget()
                if t.value == .back || t.value == .repeatMenu {
                    throw .error(t.location, "on-failure cannot be '\(t.value)': the caller has used every attempt")
                }
                m.onFailure = t
            case "say-reference": m.sayReference = r.isAtEnd ? true : try r.yesNo("say-reference")
            case "barge-in": m.bargeIn = try r.yesNo("barge-in")
            default: break
            }
            block = .menu(m)

        case .hunt(var h):
            switch keyword.value {
            case "mode":
                let w = try r.word("simultaneous, sequential or progressive")
                guard let mode = Hunt.Mode(rawValue: w.value) else {
                    throw .error(w.location, "unknown hunt mode '\(w.value)'\(Suggestion.didYouMean(w.value, among: Hunt.Mode.allCases.map(\.rawValue))) (simultaneous, sequential or progressive)")
                }
                h.mode = mode
            case "ring": h.ring = try r.duration("ring", in: .seconds(1) ... .seconds(600))
            case "add-every": h.addEvery = try r.duration("add-every", in: .seconds(1) ... .seconds(600))
            case "members": h.members += try r.list { (r: inout StatementReader) throws(Diagnostic) in try r.name("agent name") }
            case "on-no-answer": h.onNoAnswer = try r.arrowTarget()
            case "music": h.music = try r.prompt("a music prompt")
            default: break
            }
            block = .hunt(h)

        case .queue(var q):
            switch keyword.value {
            case "department": q.department = try r.name("department name")
            case "require": q.require = try r.list { (r: inout StatementReader) throws(Diagnostic) in try r.skillRequirement() }
            case "prefer": q.prefer = try r.list { (r: inout StatementReader) throws(Diagnostic) in try r.skillRequirement() }
            case "strategy": q.strategy = try r.choice("strategy", expected: "a strategy")
            case "ring": q.ring = try r.duration("ring", in: .seconds(1) ... .seconds(600))
            case "wrap-up": q.wrapUp = try r.duration("wrap-up", in: .seconds(0) ... .seconds(3600))
            case "wrap-up-reason": q.wrapUpReason = try r.yesNo("wrap-up-reason")
            case "service-level": q.serviceLevel = try r.duration("service-level", in: .seconds(1) ... .seconds(3600))
            case "short-abandon": q.shortAbandon = try r.duration("short-abandon", in: .seconds(0) ... .seconds(600))
            case "music": q.music = try r.prompt("a music prompt")
            case "announce-position":
                if r.accept("off") {
                    q.announcePosition = nil
                } else {
                    guard r.accept("every") else { throw r.error("'every DURATION' or 'off'") }
                    q.announcePosition = try r.duration("announce-position", in: .seconds(15) ... .seconds(3600))
                }
            case "expand":
                guard r.accept("after") else { throw r.error("'after DURATION require …'") }
                let after = try r.duration("expand after", in: .seconds(1) ... .seconds(86400))
                guard r.accept("require") else { throw r.error("'require' and the relaxed skills") }
                let reqs = try r.list { (r: inout StatementReader) throws(Diagnostic) in try r.skillRequirement() }
                if let last = q.expansions.last, last.after >= after {
                    throw .error(keyword.location, "expansion steps must come in increasing time (this one is at \(StatementReader.format(after)), the one before at \(StatementReader.format(last.after)))")
                }
                q.expansions.append(Queue.Expansion(after: after, require: reqs, location: keyword.location))
            case "max-wait":
                q.maxWait = try r.duration("max-wait", in: .seconds(1) ... .seconds(86400))
                q.maxWaitTarget = try r.arrowTarget()
            case "join-empty": q.joinEmpty = try r.yesNo("join-empty")
            case "leave-empty": q.leaveEmpty = try r.yesNo("leave-empty")
            case "on-empty": q.onEmpty = try r.arrowTarget()
            case "no-answer-delay": q.noAnswerDelay = try r.duration("no-answer-delay", in: .seconds(0) ... .seconds(3600))
            case "warn-when": q.warnWhen = try TileThresholds.read(&r, "warn-when")
            case "alarm-when": q.alarmWhen = try TileThresholds.read(&r, "alarm-when")
            case "callback": try callback(&r, into: &q.callback, at: keyword.location)
            default: break
            }
            block = .queue(q)

        case .campaign(var c):
            switch keyword.value {
            case "title": c.title = try r.string("a title").value
            case "department": c.department = try r.name("department name")
            case "starts": c.starts = try utcTime(&r, "starts")
            case "ends": c.ends = try utcTime(&r, "ends")
            case "expected": c.expectedPerHour = try rate(&r)
            case "message":
                let m = try r.string("the message its department's desks read")
                guard !m.value.allSatisfy({ $0 == " " || $0 == "\t" }) else { throw .error(m.location, "empty message") }
                c.message = m.value
            case "notice": c.notice = try r.duration("notice", in: .seconds(0) ... .seconds(90 * 86400))
            default: break
            }
            block = .campaign(c)
        }
    }

    /// `"2026-12-01T09:00Z"`: a UTC time in quotes (a date alone is midnight UTC).
    static func utcTime(_ r: inout StatementReader, _ what: String) throws(Diagnostic) -> Located<Int64> {
        let text = try r.string("\(what): a UTC time such as \"2026-12-01T09:00Z\"")
        guard let ms = UTCTimestamp.parse(text.value) else {
            throw .error(text.location, "bad time \"\(text.value)\" for \(what) (a UTC time such as \"2026-12-01T09:00Z\" or \"2026-12-01\")")
        }
        return Located(ms, at: text.location)
    }

    /// `400/h`: calls an hour, 1 to 1,000,000.
    static func rate(_ r: inout StatementReader) throws(Diagnostic) -> Int {
        guard let token = r.peek, case .numeric(let text) = token.kind else { throw r.error("calls an hour, such as 400/h") }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[1] == "h", parts[0].allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(parts[0]) else {
            throw .error(token.location, "bad rate '\(text)' (calls an hour: a whole number and '/h', such as 400/h)")
        }
        guard (1...1_000_000).contains(n) else { throw .error(token.location, "expected must be from 1/h to 1000000/h, not \(text)") }
        try r.expect(token.kind, "")
        return n
    }

    /// `option 1`, `option 123`, `option *`, `option "#"`: keys from 0–9, `*`, `#`, A–D.
    static func optionKeys(_ r: inout StatementReader) throws(Diagnostic) -> Located<String> {
        guard let token = r.peek else { throw r.error("the option's keys") }
        let keys: String
        switch token.kind {
        case .numeric(let n): keys = n
        case .string(let s): keys = s
        case .star: keys = "*"
        default: throw r.error("the option's keys (e.g. 1, 42, * or \"#\"; '#' starts a comment unless quoted)")
        }
        guard !keys.isEmpty, keys.count <= 20, keys.allSatisfy({ DTMFDigit($0) != nil && !$0.isLowercase }) else {
            throw .error(token.location, "bad option keys '\(keys)' (keys are 0-9, *, # and A-D)")
        }
        _ = try? r.expect(token.kind, "")
        return Located(keys, at: token.location)
    }

    /// `outbound "sip:{number}@HOST[:PORT]"`: a SIP or SIPS URI with `{number}` in it.
    static func outbound(_ r: inout StatementReader) throws(Diagnostic) -> Located<String> {
        let uri = try r.string("a SIP URI with {number} in it, such as \"sip:{number}@127.0.0.1:5090\"")
        let text = uri.value
        guard text.hasPrefix("sip:") || text.hasPrefix("sips:"), text.contains("{number}"), text.contains("@"),
              !text.contains(where: { $0 == " " || $0 == "<" || $0 == ">" || $0 == "\"" || $0.asciiValue.map { $0 < 0x20 } ?? false })
        else {
            throw .error(uri.location, "outbound must be a sip: or sips: URI with {number} before the '@', such as \"sip:{number}@127.0.0.1:5090\" (found '\(text)')")
        }
        return uri
    }

    /// `callback key D after DURATION`, `callback mode agent-first|customer-first`,
    /// `callback retry DURATION`, `callback attempts N`.
    static func callback(_ r: inout StatementReader, into c: inout QueueCallback, at location: SourceLocation) throws(Diagnostic) {
        if c.location == nil { c.location = location }
        let what = try r.word("'key', 'mode', 'retry' or 'attempts' after callback")
        switch what.value {
        case "key":
            let keys = try optionKeys(&r)
            guard keys.value.count == 1, let digit = keys.value.first.flatMap(DTMFDigit.init) else {
                throw .error(keys.location, "callback key is one key (0-9, * or \"#\")")
            }
            c.key = digit
            guard r.accept("after") else { throw r.error("'after DURATION' (how long a caller waits before hearing the offer)") }
            c.after = try r.duration("callback after", in: .seconds(0) ... .seconds(86400))
        case "mode": c.mode = try r.choice("callback mode", expected: "agent-first or customer-first")
        case "retry": c.retry = try r.duration("callback retry", in: .seconds(1) ... .seconds(86400))
        case "attempts": c.attempts = try r.number("callback attempts", in: 1 ... 20).value
        default:
            let all = ["key", "mode", "retry", "attempts"]
            throw .error(what.location, "unknown callback statement '\(what.value)'\(Suggestion.didYouMean(what.value, among: all)) (callback key D after DURATION, callback mode, callback retry, callback attempts)")
        }
    }
}
