/// Finds every error and warning in a parsed plan: undefined and unreachable targets, loops
/// with no way out, missing prompts, unreachable agents, skills no agent has.
///
/// Pure: the one question about the world, whether a prompt file exists, is a parameter.
public struct DialplanChecker {
    public let plan: Dialplan
    /// Prompt names (files `<name>.wav`) in the plan's prompt folder and the shipped pack
    /// beneath it; nil when the plan's folder does not exist.
    public let prompts: Set<String>?
    /// The shipped pack searched after the plan's folder, in words for messages ("the shipped
    /// 'en' prompts"); nil when there is none.
    public let shippedPack: String?

    var diagnostics: [Diagnostic] = []
    /// The prompts `checkPrompts` found the plan needs.
    var promptsNeeded: Set<String> = []
    var menus: [String: Menu] = [:]
    var hunts: [String: Hunt] = [:]
    var queues: [String: Queue] = [:]
    var agents: [String: Agent] = [:]
    var departments: [String: Department] = [:]

    /// Prompts the runtime says by itself, beside the ones the plan names.
    public static let goodbyePrompt = "goodbye"
    public static let referencePrompts = ["enter-reference", "reference-invalid", "reference-unknown"]
    public static let sayReferencePrompts = ["your-reference-is"] + (0...9).map { "digit-\($0)" }
    public static let announcePrompts = ["position-is", "in-queue", "wait-about", "minute", "minutes", "hundred", "thousand"]
        + (0...9).map { "digit-\($0)" } + (10...19).map { "number-\($0)" } + stride(from: 20, through: 90, by: 10).map { "number-\($0)" }
    /// Said to a caller joining a queue, before the music.
    public static let queuePrompts = ["please-hold"]
    /// Said to a caller asking for a call back, and to the customer it calls.
    public static let callbackPrompts = ["callback-offer", "callback-number-is", "callback-confirm", "callback-enter-number", "callback-kept",
                                         "callback-refused", "callback-intro", "ringback", "star", "pound"] + (0...9).map { "digit-\($0)" }

    public init(plan: Dialplan, prompts: Set<String>?, shippedPack: String? = nil) {
        self.plan = plan
        self.prompts = prompts
        self.shippedPack = shippedPack
    }

    /// Every diagnostic, sorted by place.
    public static func check(_ plan: Dialplan, prompts: Set<String>?, shippedPack: String? = nil) -> [Diagnostic] {
        var checker = DialplanChecker(plan: plan, prompts: prompts, shippedPack: shippedPack)
        checker.run()
        return checker.diagnostics.sorted()
    }

    func isBroken(_ kind: String, _ name: String, _ statement: String) -> Bool {
        plan.brokenStatements.contains("\(kind) \(name) \(statement)")
    }

    mutating func run() {
        indexNames()
        checkRoutes()
        checkDepartments()
        checkAgents()
        checkMenus()
        checkHunts()
        checkQueues()
        checkCallbacks()
        checkCampaigns()
        checkPrompts()
        checkReachability()
        checkMenuLoops()
    }

    mutating func error(_ at: SourceLocation, _ message: String) { diagnostics.append(.error(at, message)) }
    mutating func warning(_ at: SourceLocation, _ message: String) { diagnostics.append(.warning(at, message)) }

    // MARK: names

    mutating func indexNames() {
        func index<T>(_ items: [T], _ kind: String, _ name: (T) -> Located<String>, into table: inout [String: T], _ diags: inout [Diagnostic]) {
            for item in items {
                let n = name(item)
                if let first = table[n.value] {
                    diags.append(.error(n.location, "\(kind) '\(n.value)' is defined twice (first at \(name(first).location.reference(from: n.location)))"))
                } else {
                    table[n.value] = item
                }
            }
        }
        index(plan.menus, "menu", \.name, into: &menus, &diagnostics)
        index(plan.hunts, "hunt", \.name, into: &hunts, &diagnostics)
        index(plan.queues, "queue", \.name, into: &queues, &diagnostics)
        index(plan.agents, "agent", \.name, into: &agents, &diagnostics)
        index(plan.departments, "department", \.name, into: &departments, &diagnostics)
    }

    /// Reports a target that names nothing, or `repeat`/`back` where they mean nothing.
    mutating func checkTarget(_ target: Located<Target>, inMenuOption: Bool = false, context: String) {
        switch target.value {
        case .menu(let n) where menus[n] == nil:
            error(target.location, "menu '\(n)' is not defined\(Suggestion.didYouMean(n, among: menus.keys.sorted()))")
        case .queue(let n) where queues[n] == nil:
            error(target.location, "queue '\(n)' is not defined\(Suggestion.didYouMean(n, among: queues.keys.sorted()))")
        case .hunt(let n) where hunts[n] == nil:
            error(target.location, "hunt '\(n)' is not defined\(Suggestion.didYouMean(n, among: hunts.keys.sorted()))")
        case .callback(let n) where queues[n] == nil:
            error(target.location, "queue '\(n)' is not defined\(Suggestion.didYouMean(n, among: queues.keys.sorted()))")
        case .callback:
            checkCallbackSettings(at: target.location, what: "'\(target.value)'")
        case .repeatMenu, .back:
            if !inMenuOption { error(target.location, "'\(target.value)' only makes sense as a menu option, not in \(context)") }
        default:
            break
        }
    }

    // MARK: routes

    mutating func checkRoutes() {
        guard let firstRoute = plan.routes.first else {
            if plan.brokenStatements.contains("route") { return }
            let at = plan.menus.first?.name.location ?? SourceLocation(file: "<plan>", line: 1, column: 1)
            error(at, "the plan has no route: no call can reach it (add e.g. 'route default -> menu main')")
            return
        }
        var seen: [String: Route] = [:]
        for route in plan.routes {
            let key = route.number ?? "<default>"
            if let first = seen[key] {
                let what = route.number.map { "route \"\($0)\"" } ?? "the default route"
                error(route.location, "\(what) is defined twice (first at \(first.location.reference(from: route.location)))")
            } else {
                seen[key] = route
            }
            checkTarget(route.target, context: "a route")
        }
        if seen["<default>"] == nil, !plan.brokenStatements.contains("route") {
            warning(firstRoute.location, "no default route: calls to numbers no route names are refused with 404")
        }
    }

    // MARK: departments

    mutating func checkDepartments() {
        for d in plan.departments {
            if let entry = d.entry {
                checkTarget(entry, context: "a department entry")
            } else if !plan.queues.contains(where: { $0.department?.value == d.name.value }) {
                warning(d.name.location, "department '\(d.name.value)' has no queue and no entry: callers keying its references cannot reach it")
            }
            if let assign = d.assign, !plan.agents.contains(where: { a in a.departments.contains { $0.value == d.name.value } }) {
                warning(assign.location, "department '\(d.name.value)' has 'assign \(assign.value.rawValue)' but no agent lists it in 'departments': its hand-offs wait with no one to take them")
            }
        }
    }

    // MARK: agents

    mutating func checkAgents() {
        var logins: [String: Agent] = [:]
        for a in plan.agents {
            let n = a.name.value
            if a.contact == nil && a.login == nil && !isBroken("agent", n, "contact") && !isBroken("agent", n, "login") {
                error(a.name.location, "agent '\(n)' has no way to be reached (give it a contact, or a login and secret to register)")
            }
            if let login = a.login {
                if a.secret == nil, !isBroken("agent", n, "secret") { error(login.location, "agent '\(n)' has a login but no secret; registrations need both") }
                if let other = logins[login.value] {
                    error(login.location, "login \"\(login.value)\" is already used by agent '\(other.name.value)'")
                } else {
                    logins[login.value] = a
                }
            } else if let secret = a.secret {
                warning(secret.location, "agent '\(n)' has a secret but no login; the secret is unused")
            }
            for d in a.departments where departments[d.value] == nil {
                error(d.location, "department '\(d.value)' is not defined\(Suggestion.didYouMean(d.value, among: departments.keys.sorted()))")
            }
        }
    }

    // MARK: menus

    mutating func checkMenus() {
        for m in plan.menus {
            if m.greeting == nil, !isBroken("menu", m.name.value, "greeting") { error(m.name.location, "menu '\(m.name.value)' has no greeting") }
            var keys: [String: Menu.Option] = [:]
            for option in m.options {
                if let first = keys[option.keys] {
                    error(option.location, "option \(option.keys) is given twice in menu '\(m.name.value)' (first at \(first.location.reference(from: option.location)))")
                } else {
                    keys[option.keys] = option
                }
                checkTarget(option.target, inMenuOption: true, context: "")
                if option.target.value == .menu(m.name.value) {
                    warning(option.target.location, "option \(option.keys) leads to menu '\(m.name.value)' itself; 'repeat' says so and counts the attempt")
                }
            }
            for option in m.options {
                for longer in m.options where longer.keys.count > option.keys.count && longer.keys.hasPrefix(option.keys) {
                    warning(option.location, "option \(option.keys) is the start of option \(longer.keys): after \(option.keys) the caller waits \(StatementReader.format(m.digitTimeout)) or presses \(m.terminator.map(String.init) ?? "nothing") to choose it")
                    break
                }
            }
            if let t = m.terminator, m.options.contains(where: { $0.keys.count > 1 && $0.keys.contains(t) }) {
                warning(m.name.location, "menu '\(m.name.value)' uses its terminator \(t) inside a multi-key option")
            }
            if m.options.isEmpty, !isBroken("menu", m.name.value, "option") {
                warning(m.name.location, "menu '\(m.name.value)' has no options: every caller ends at on-failure (\(m.onFailure.value)) after \(m.attempts) attempts")
            }
            checkTarget(m.onFailure, context: "on-failure")
        }
    }

    // MARK: hunts

    mutating func checkHunts() {
        for h in plan.hunts {
            if h.members.isEmpty, !isBroken("hunt", h.name.value, "members") { error(h.name.location, "hunt '\(h.name.value)' has no members") }
            var seen = Set<String>()
            for member in h.members {
                if agents[member.value] == nil {
                    error(member.location, "agent '\(member.value)' is not defined\(Suggestion.didYouMean(member.value, among: agents.keys.sorted()))")
                } else if !seen.insert(member.value).inserted {
                    warning(member.location, "agent '\(member.value)' is listed twice in hunt '\(h.name.value)'")
                }
            }
            if h.mode == .progressive, h.addEvery >= h.ring {
                warning(h.name.location, "hunt '\(h.name.value)' adds a member every \(StatementReader.format(h.addEvery)) but rings only \(StatementReader.format(h.ring)): only the first member ever rings")
            }
            checkTarget(h.onNoAnswer, context: "on-no-answer")
        }
    }

    // MARK: queues

    mutating func checkQueues() {
        let allSkills = Set(plan.agents.flatMap { $0.skills.keys })
        for q in plan.queues {
            if let d = q.department, departments[d.value] == nil {
                error(d.location, "department '\(d.value)' is not defined\(Suggestion.didYouMean(d.value, among: departments.keys.sorted()))")
            }
            checkRequirements(q.require, of: q, step: "require", skills: allSkills)
            for e in q.expansions {
                checkRequirements(e.require, of: q, step: "expand after \(StatementReader.format(e.after))", skills: allSkills)
                if let maxWait = q.maxWait, e.after >= maxWait {
                    warning(e.location, "this expansion at \(StatementReader.format(e.after)) never happens: callers leave at max-wait \(StatementReader.format(maxWait))")
                }
            }
            for p in q.prefer where !allSkills.contains(p.skill) {
                warning(p.location, "no agent has skill '\(p.skill)'\(Suggestion.didYouMean(p.skill, among: allSkills.sorted()))")
            }
            if let t = q.maxWaitTarget { checkTarget(t, context: "max-wait") }
            if q.maxWaitTarget?.value == .queue(q.name.value) {
                error(q.maxWaitTarget!.location, "max-wait of queue '\(q.name.value)' leads back to itself")
            }
            checkTarget(q.onEmpty, context: "on-empty")
            if !q.namesOnEmpty {
                // Asterisk's `joinempty` and FreeSWITCH's mod_callcenter let callers wait by
                // default; here they are hung up unless the plan says where they go.
                if !q.joinEmpty {
                    warning(q.name.location, "queue '\(q.name.value)' hangs up on callers who arrive when no agent who could take them is logged in (join-empty no, no on-empty): add 'on-empty -> TARGET', or 'join-empty yes' to let them wait")
                }
                if q.leaveEmpty {
                    warning(q.name.location, "queue '\(q.name.value)' hangs up on its waiting callers when the last agent who could take them logs out (leave-empty yes, no on-empty): add 'on-empty -> TARGET'")
                }
            }
        }
    }

    mutating func checkRequirements(_ reqs: [SkillRequirement], of q: Queue, step: String, skills: Set<String>) {
        for r in reqs where !skills.contains(r.skill) {
            warning(r.location, "no agent has skill '\(r.skill)'\(Suggestion.didYouMean(r.skill, among: skills.sorted())): queue '\(q.name.value)' (\(step)) can reach nobody")
        }
        let known = reqs.filter { skills.contains($0.skill) }
        guard !known.isEmpty, !reqs.isEmpty, known.count == reqs.count else { return }
        if !plan.agents.contains(where: { a in reqs.allSatisfy { $0.isMet(by: a.skills) } }) {
            let text = reqs.map(\.description).joined(separator: ", ")
            warning(reqs[0].location, "no agent meets \(text) in queue '\(q.name.value)' (\(step)): callers wait until an expansion or max-wait")
        }
    }

    // MARK: prompts

    mutating func checkPrompts() {
        guard let available = prompts else {
            error(plan.settings.prompts.location.file == "<default>"
                  ? (plan.routes.first?.location ?? SourceLocation(file: "<plan>", line: 1, column: 1))
                  : plan.settings.prompts.location,
                  "prompt folder '\(plan.settings.prompts.value)' does not exist (relative to the dialplan folder; set it with 'prompts' in settings)")
            return
        }
        var reported = Set<String>()
        var needed = Set<String>()
        let sortedPrompts = available.sorted()
        func need(_ name: String, at location: SourceLocation, for why: String, _ diags: inout [Diagnostic]) {
            needed.insert(name)
            guard !available.contains(name), reported.insert("\(name)@\(location)").inserted else { return }
            let hint = Suggestion.didYouMean(name, among: sortedPrompts)
            let searched = "'\(plan.settings.prompts.value)'" + (shippedPack.map { " or \($0)" } ?? "")
            diags.append(.error(location, "prompt '\(name)' is missing (no \(name).wav in \(searched))\(why)\(hint)"))
        }
        var d = diagnostics
        for m in plan.menus {
            for p in [m.greeting, m.reprompt, m.noInput].compactMap({ $0 }) { need(p.value, at: p.location, for: "", &d) }
            need(m.invalid.value, at: m.invalid.location.file == "<default>" ? m.name.location : m.invalid.location,
                 for: m.invalid.location.file == "<default>" ? " (the default invalid prompt)" : "", &d)
            if m.sayReference {
                for p in Self.sayReferencePrompts { need(p, at: m.name.location, for: ", needed by say-reference", &d) }
            }
        }
        for h in plan.hunts {
            if let p = h.music { need(p.value, at: p.location, for: "", &d) } else { need("ringback", at: h.name.location, for: ", the ringback callers hear while the hunt rings", &d) }
        }
        if let first = plan.queues.first {
            for p in Self.queuePrompts { need(p, at: first.name.location, for: ", said to callers joining a queue", &d) }
        }
        if let first = plan.agents.first {
            for code in FeatureCode.allCases { need(code.prompt, at: first.name.location, for: ", confirming feature code \(code.rawValue)", &d) }
        }
        for q in plan.queues {
            if let p = q.music { need(p.value, at: p.location, for: "", &d) }
            if q.announcePosition != nil {
                for p in Self.announcePrompts { need(p, at: q.name.location, for: ", needed by announce-position", &d) }
            }
            if let at = q.callback.location {
                for p in Self.callbackPrompts { need(p, at: at, for: ", needed by callbacks", &d) }
            }
        }
        let settingsMusic = plan.settings.music
        if plan.queues.contains(where: { $0.music == nil }) {
            need(settingsMusic.value, at: settingsMusic.location.file == "<default>" ? plan.queues.first { $0.music == nil }!.name.location : settingsMusic.location,
                 for: " (hold music for queues that name none)", &d)
        }
        if let first = plan.routes.first {
            need(Self.goodbyePrompt, at: first.location, for: ", said before every hang-up", &d)
        }
        let referenceTargets = allTargets().filter { $0.value == .reference }
        if let first = referenceTargets.first {
            for p in Self.referencePrompts { need(p, at: first.location, for: ", needed by '-> reference'", &d) }
        }
        diagnostics = d
        promptsNeeded = needed
    }

    /// Every prompt `plan` can play: the ones it names and the runtime's own it needs
    /// (`throughline check --verbose` says which layer each comes from).
    public static func promptsNeeded(by plan: Dialplan) -> [String] {
        var checker = DialplanChecker(plan: plan, prompts: [])
        checker.checkPrompts()
        return checker.promptsNeeded.sorted()
    }

    func allTargets() -> [Located<Target>] {
        plan.routes.map(\.target)
            + plan.departments.compactMap(\.entry)
            + plan.menus.flatMap { $0.options.map(\.target) + [$0.onFailure] }
            + plan.hunts.map(\.onNoAnswer)
            + plan.queues.flatMap { [$0.maxWaitTarget, $0.onEmpty].compactMap { $0 } }
    }

    // MARK: reachability

    /// Where a target leads, as block keys `menu:x`, `queue:x`, `hunt:x`.
    static func key(_ t: Target) -> String? {
        switch t {
        case .menu(let n): "menu:\(n)"
        case .queue(let n), .callback(let n): "queue:\(n)"
        case .hunt(let n): "hunt:\(n)"
        default: nil
        }
    }

    func successors(of key: String) -> [Target] {
        let parts = key.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return [] }
        switch parts[0] {
        case "menu":
            guard let m = menus[parts[1]] else { return [] }
            return m.options.map(\.target.value) + [m.onFailure.value]
        case "queue":
            guard let q = queues[parts[1]] else { return [] }
            return [q.maxWaitTarget?.value, q.onEmpty.value].compactMap { $0 }
        case "hunt":
            guard let h = hunts[parts[1]] else { return [] }
            return [h.onNoAnswer.value]
        default: return []
        }
    }

    mutating func checkReachability() {
        var reached = Set<String>()
        var work: [Target] = plan.routes.map(\.target.value)
        // A caller keying a reference goes to its department's entry (or its queues).
        if allTargets().contains(where: { $0.value == .reference }) {
            work += plan.departments.compactMap(\.entry?.value)
            work += plan.queues.filter { $0.department != nil }.map { .queue($0.name.value) }
        }
        while let t = work.popLast() {
            guard let k = Self.key(t), reached.insert(k).inserted else { continue }
            work += successors(of: k)
        }
        guard !plan.routes.isEmpty else { return }
        for m in plan.menus where !reached.contains("menu:\(m.name.value)") {
            warning(m.name.location, "menu '\(m.name.value)' is never reached: no route, option or fallback leads to it")
        }
        for h in plan.hunts where !reached.contains("hunt:\(h.name.value)") {
            warning(h.name.location, "hunt '\(h.name.value)' is never reached: no route, option or fallback leads to it")
        }
        for q in plan.queues where !reached.contains("queue:\(q.name.value)") {
            warning(q.name.location, "queue '\(q.name.value)' is never reached: no route, option or fallback leads to it")
        }
        // Agents no hunt lists and no queue's skills (at any expansion step) admit.
        let huntMembers = Set(plan.hunts.flatMap { $0.members.map(\.value) })
        for a in plan.agents where !huntMembers.contains(a.name.value) {
            let eligible = plan.queues.contains { q in
                ([q.require] + q.expansions.map(\.require)).contains { reqs in reqs.allSatisfy { $0.isMet(by: a.skills) } }
            }
            if !eligible {
                warning(a.name.location, "agent '\(a.name.value)' can receive no call: in no hunt, and no queue's skills admit them")
            }
        }
    }

    /// A set of menus whose every option and on-failure leads back into menus, with no
    /// queue, hunt, reference or hangup anywhere ahead: callers can never leave.
    mutating func checkMenuLoops() {
        var canExit = Set<String>()
        var changed = true
        while changed {
            changed = false
            for m in plan.menus where !canExit.contains(m.name.value) {
                let targets = m.options.map(\.target.value) + [m.onFailure.value]
                let exits = targets.contains { t in
                    switch t {
                    case .queue, .hunt, .callback, .reference, .hangup: return true
                    case .menu(let n): return canExit.contains(n) || menus[n] == nil  // undefined: reported elsewhere
                    case .repeatMenu, .back: return false
                    }
                }
                if exits { canExit.insert(m.name.value); changed = true }
            }
        }
        for m in plan.menus where !canExit.contains(m.name.value) && menus[m.name.value]?.name == m.name {
            let cycle = plan.menus.filter { !canExit.contains($0.name.value) }.map(\.name.value)
            error(m.name.location, "menu '\(m.name.value)' loops with no way out: its options and on-failure lead only to menus \(cycle.map { "'\($0)'" }.joined(separator: ", ")), never to a queue, hunt, reference or hangup")
        }
    }
}
