/// A whole plan: every `*.dialplan` file of a folder, parsed together. Immutable once built;
/// a call keeps the plan it started with across reloads.
public struct Dialplan: Sendable, Hashable {
    /// The statements, behind one reference: a plan is copied into every call, menu run and
    /// plan version it belongs to, and a copy is one retain instead of a 536-byte struct and
    /// fifty retains (the switchboard copies a call's state on every input). Written only
    /// while the parser builds the plan; a write to a shared plan copies it first.
    private var storage = Storage()

    public var settings: PlanSettings {
        _read { yield storage.settings }
        _modify { unique(); yield &storage.settings }
    }
    public var departments: [Department] {
        _read { yield storage.departments }
        _modify { unique(); yield &storage.departments }
    }
    public var agents: [Agent] {
        _read { yield storage.agents }
        _modify { unique(); yield &storage.agents }
    }
    public var routes: [Route] {
        _read { yield storage.routes }
        _modify { unique(); yield &storage.routes }
    }
    public var menus: [Menu] {
        _read { yield storage.menus }
        _modify { unique(); yield &storage.menus }
    }
    public var hunts: [Hunt] {
        _read { yield storage.hunts }
        _modify { unique(); yield &storage.hunts }
    }
    public var queues: [Queue] {
        _read { yield storage.queues }
        _modify { unique(); yield &storage.queues }
    }
    public var campaigns: [Campaign] {
        _read { yield storage.campaigns }
        _modify { unique(); yield &storage.campaigns }
    }
    /// Statements that were written but could not be read (`menu main greeting`, `route`),
    /// so the checker does not also call them missing.
    public var brokenStatements: Set<String> {
        _read { yield storage.brokenStatements }
        _modify { unique(); yield &storage.brokenStatements }
    }

    public init() {}

    public func menu(_ name: String) -> Menu? { menus.first { $0.name.value == name } }
    public func hunt(_ name: String) -> Hunt? { hunts.first { $0.name.value == name } }
    public func queue(_ name: String) -> Queue? { queues.first { $0.name.value == name } }
    public func agent(_ name: String) -> Agent? { agents.first { $0.name.value == name } }
    public func department(_ name: String) -> Department? { departments.first { $0.name.value == name } }
    public func campaign(_ name: String) -> Campaign? { campaigns.first { $0.name.value == name } }

    /// The campaign a call arriving by `route` at `now` (Unix milliseconds) belongs to: the one
    /// of the route's campaigns running then; else the one that ended last (late answers to
    /// it); else the next to start. nil when the route names none.
    public func campaign(for route: Route, at now: Int64) -> String? {
        let named = route.campaigns.compactMap { campaign($0.value) }
        if let running = named.first(where: { $0.phase(at: now) == .running }) { return running.name.value }
        let ended = named.filter { $0.phase(at: now) == .ended }
        if let last = ended.max(by: { ($0.ends?.value ?? .min) < ($1.ends?.value ?? .min) }) { return last.name.value }
        return named.min(by: { ($0.starts?.value ?? .max) < ($1.starts?.value ?? .max) })?.name.value ?? route.campaigns.first?.value
    }

    /// Where a caller with one of `department`'s references goes: its `entry`, else the first
    /// queue (in file order) that serves it; nil when neither exists.
    public func entry(forDepartment name: String) -> Target? {
        if let entry = department(name)?.entry?.value { return entry }
        return queues.first { $0.department?.value == name }.map { .queue($0.name.value) }
    }

    /// The route for a dialled number: an exact match, else the default route.
    public func route(forDialled dialled: String) -> Route? {
        routes.first { $0.number == dialled } ?? routes.first { $0.number == nil }
    }
}

extension Dialplan {
    /// The plan's statements. A class so that copying a plan is one retain; `Dialplan`
    /// copies it before a write when it is shared, so plans keep value semantics.
    private final class Storage: @unchecked Sendable {  // written only through a unique Dialplan
        var settings = PlanSettings()
        var departments: [Department] = []
        var agents: [Agent] = []
        var routes: [Route] = []
        var menus: [Menu] = []
        var hunts: [Hunt] = []
        var queues: [Queue] = []
        var campaigns: [Campaign] = []
        var brokenStatements: Set<String> = []

        init() {}

        func copy() -> Storage {
            let copy = Storage()
            copy.settings = settings
            copy.departments = departments
            copy.agents = agents
            copy.routes = routes
            copy.menus = menus
            copy.hunts = hunts
            copy.queues = queues
            copy.campaigns = campaigns
            copy.brokenStatements = brokenStatements
            return copy
        }
    }

    private mutating func unique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }

    public static func == (lhs: Dialplan, rhs: Dialplan) -> Bool {
        lhs.storage === rhs.storage || (lhs.settings == rhs.settings && lhs.departments == rhs.departments && lhs.agents == rhs.agents
            && lhs.routes == rhs.routes && lhs.menus == rhs.menus && lhs.hunts == rhs.hunts && lhs.queues == rhs.queues
            && lhs.campaigns == rhs.campaigns && lhs.brokenStatements == rhs.brokenStatements)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(settings)
        hasher.combine(departments)
        hasher.combine(agents)
        hasher.combine(routes)
        hasher.combine(menus)
        hasher.combine(hunts)
        hasher.combine(queues)
        hasher.combine(campaigns)
        hasher.combine(brokenStatements)
    }
}
