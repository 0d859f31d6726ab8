/// A whole plan: every `*.dialplan` file of a folder, parsed together. Immutable once built;
/// a call keeps the plan it started with across reloads.
public struct Dialplan: Sendable, Hashable {
    public var settings = PlanSettings()
    public var departments: [Department] = []
    public var agents: [Agent] = []
    public var routes: [Route] = []
    public var menus: [Menu] = []
    public var hunts: [Hunt] = []
    public var queues: [Queue] = []
    public var campaigns: [Campaign] = []
    /// Statements that were written but could not be read (`menu main greeting`, `route`),
    /// so the checker does not also call them missing.
    public var brokenStatements: Set<String> = []

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
