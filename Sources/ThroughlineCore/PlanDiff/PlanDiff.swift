/// What a reload would change: the running plan against a new one, block by block (keyed by
/// name; a route by its number), statement by statement, ignoring where things are written
/// (moving a block to another file or line is no change). Menu options are compared one by
/// one, by their keys. Pure; called by the reload coordinator on its own thread.
public enum PlanDiff {
    /// Every change from `old` to `new`, in the new plan's order (removals by the old one's).
    public static func changes(from old: Dialplan, to new: Dialplan) -> [PlanChange] {
        var changes: [PlanChange] = []
        let settingsDetails = PlanFields.differences(PlanFields.of(old.settings), PlanFields.of(new.settings))
        if !settingsDetails.isEmpty {
            let at = PlanFields.firstLocation(in: new.settings) ?? new.routes.first?.location ?? SourceLocation(file: "<plan>", line: 0, column: 0)
            changes.append(PlanChange(.changed, "settings", details: settingsDetails, at: at))
        }
        changes += blocks("department", old.departments, new.departments, name: \.name.value, location: \.name.location)
        changes += blocks("agent", old.agents, new.agents, name: \.name.value, location: \.name.location)
        changes += blocks("route", old.routes, new.routes, name: { $0.number.map { "\"\($0)\"" } ?? "default" }, location: \.location)
        changes += menus(old.menus, new.menus)
        changes += blocks("hunt", old.hunts, new.hunts, name: \.name.value, location: \.name.location)
        changes += blocks("queue", old.queues, new.queues, name: \.name.value, location: \.name.location)
        changes += blocks("campaign", old.campaigns, new.campaigns, name: \.name.value, location: \.name.location, fields: PlanFields.campaign)
        return changes
    }

    static func blocks<Block>(_ kind: String, _ old: [Block], _ new: [Block], name: (Block) -> String, location: (Block) -> SourceLocation,
                              fields: (Block) -> [(String, String)] = { PlanFields.of($0) }) -> [PlanChange] {
        var changes: [PlanChange] = []
        let before = Dictionary(old.map { (name($0), $0) }, uniquingKeysWith: { first, _ in first })
        let after = Set(new.map(name))
        for block in new {
            let key = name(block)
            guard let was = before[key] else {
                changes.append(PlanChange(.added, "\(kind) \(key)", at: location(block)))
                continue
            }
            let details = PlanFields.differences(fields(was), fields(block))
            if !details.isEmpty { changes.append(PlanChange(.changed, "\(kind) \(key)", details: details, at: location(block))) }
        }
        for block in old where !after.contains(name(block)) {
            changes.append(PlanChange(.removed, "\(kind) \(name(block))", at: location(block)))
        }
        return changes
    }

    /// Menus, and within each menu kept, its options by keys.
    static func menus(_ old: [Menu], _ new: [Menu]) -> [PlanChange] {
        var changes = blocks("menu", old, new, name: \.name.value, location: \.name.location,
                             fields: { PlanFields.of($0).filter { $0.0 != "options" } })
        let before = Dictionary(old.map { ($0.name.value, $0) }, uniquingKeysWith: { first, _ in first })
        for menu in new {
            guard let was = before[menu.name.value] else { continue }
            changes += blocks("option", was.options, menu.options, name: { "\($0.keys) of menu \(menu.name.value)" }, location: \.location)
        }
        return changes
    }
}
