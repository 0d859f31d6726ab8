/// Campaigns: every campaign a route names is declared, ends after it starts, names a
/// department that exists, and no two campaigns of one route run at the same time (a call
/// arriving then could not tell which it answers).
extension DialplanChecker {
    mutating func checkCampaigns() {
        var declared: [String: Campaign] = [:]
        for c in plan.campaigns {
            if let first = declared[c.name.value] {
                error(c.name.location, "campaign '\(c.name.value)' is defined twice (first at \(first.name.location.reference(from: c.name.location)))")
                continue
            }
            declared[c.name.value] = c
            if let starts = c.starts, let ends = c.ends, ends.value <= starts.value {
                error(ends.location, "campaign '\(c.name.value)' ends at \(UTCTimestamp.string(unixMilliseconds: ends.value)), not after it starts (\(UTCTimestamp.string(unixMilliseconds: starts.value)))")
            }
            if let d = c.department, departments[d.value] == nil, !isBroken("campaign", c.name.value, "department") {
                error(d.location, "department '\(d.value)' is not defined\(Suggestion.didYouMean(d.value, among: departments.keys.sorted()))")
            }
        }
        var named: Set<String> = []
        for route in plan.routes {
            var onRoute: [Campaign] = []
            for name in route.campaigns {
                named.insert(name.value)
                guard let c = declared[name.value] else {
                    error(name.location, "campaign '\(name.value)' is not declared\(Suggestion.didYouMean(name.value, among: declared.keys.sorted())) (add a 'campaign \(name.value) { … }' block)")
                    continue
                }
                if let other = onRoute.first(where: { $0.name.value == c.name.value }) {
                    error(name.location, "campaign '\(other.name.value)' is named twice on this route")
                } else if let other = onRoute.first(where: { $0.overlaps(c) }) {
                    let what = route.number.map { "route \"\($0)\"" } ?? "the default route"
                    error(name.location, "campaigns '\(other.name.value)' and '\(c.name.value)' both run on \(what) at \(Self.overlapStart(other, c)): a call then could not tell which it answers")
                }
                onRoute.append(c)
            }
        }
        for c in plan.campaigns where !named.contains(c.name.value) && !plan.brokenStatements.contains("route") {
            warning(c.name.location, "campaign '\(c.name.value)' is not named by any route: no call will count for it")
        }
    }

    /// The first instant two overlapping campaigns share, in words.
    static func overlapStart(_ a: Campaign, _ b: Campaign) -> String {
        let start = max(a.starts?.value ?? .min, b.starts?.value ?? .min)
        return start == .min ? "every time (neither has 'starts')" : UTCTimestamp.string(unixMilliseconds: start)
    }
}
