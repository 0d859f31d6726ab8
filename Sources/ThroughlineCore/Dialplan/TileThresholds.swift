/// When a queue's wallboard tile turns amber (`warn-when …`) or red (`alarm-when …`): any one
/// clause met is enough. Written in `settings` for every queue, or in a queue for that queue
/// alone (a queue's statement replaces the settings' one, clause by clause). A clause nobody
/// wrote takes the default the wallboard derives from the queue (`WallboardRules`).
public struct TileThresholds: Sendable, Hashable {
    /// Callers waiting at least this many.
    public var waiting: Int?
    /// The longest-waiting caller has waited at least this long.
    public var longestWait: Duration?
    /// Today's service level below this percentage.
    public var serviceLevelBelow: Int?

    public init(waiting: Int? = nil, longestWait: Duration? = nil, serviceLevelBelow: Int? = nil) {
        self.waiting = waiting
        self.longestWait = longestWait
        self.serviceLevelBelow = serviceLevelBelow
    }

    /// These clauses, with the ones not written taken from `fallback`.
    public func over(_ fallback: TileThresholds) -> TileThresholds {
        TileThresholds(waiting: waiting ?? fallback.waiting, longestWait: longestWait ?? fallback.longestWait,
                       serviceLevelBelow: serviceLevelBelow ?? fallback.serviceLevelBelow)
    }

    /// `waiting 3, longest-wait 45s, service-level-below 85`: one or more clauses.
    static func read(_ r: inout StatementReader, _ statement: String) throws(Diagnostic) -> TileThresholds {
        var t = TileThresholds()
        let clauses = try r.list { (r: inout StatementReader) throws(Diagnostic) -> String in
            let w = try r.word("'waiting N', 'longest-wait DURATION' or 'service-level-below PERCENT'")
            switch w.value {
            case "waiting": t.waiting = try r.number("waiting", in: 1...100_000).value
            case "longest-wait": t.longestWait = try r.duration("longest-wait", in: .seconds(1) ... .seconds(86400))
            case "service-level-below": t.serviceLevelBelow = try r.number("service-level-below (a percentage)", in: 1...100).value
            default:
                let all = ["waiting", "longest-wait", "service-level-below"]
                throw .error(w.location, "unknown \(statement) clause '\(w.value)'\(Suggestion.didYouMean(w.value, among: all)) (\(all.joined(separator: ", ")))")
            }
            return w.value
        }
        if let twice = Dictionary(grouping: clauses, by: { $0 }).first(where: { $0.value.count > 1 })?.key {
            throw .error(r.endOfLine, "'\(twice)' is given twice in \(statement)")
        }
        return t
    }
}
