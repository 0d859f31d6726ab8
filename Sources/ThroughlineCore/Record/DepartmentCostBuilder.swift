/// The department cost report, pure: for each department, the repeat calls charged to it and
/// the agent minutes they took (talk of conversations on calls charged to it), the hand-offs it
/// received (overdue, still open), and what its customers called about (reasons, most frequent
/// first), its repeat-call rate, and of the references it resolved, how many on first contact
/// and how many hand-offs they took. `docs/metrics.md` defines each.
public enum DepartmentCostBuilder {
    public struct Row: Sendable, Equatable {
        public var department: String
        public var repeatCalls = 0
        public var repeatTalk: Duration = .zero
        public var handoffsReceived = 0
        public var handoffsOverdue = 0
        public var handoffsOpen = 0
        /// Reason and count, most frequent first (ties by name).
        public var reasons: [(reason: String, count: Int)] = []
        /// Calls offered to its queues; references it resolved, on first contact, and their
        /// hand-offs.
        public var offered = 0
        public var resolution = DepartmentActivity.Resolutions(resolved: 0, firstContact: 0, handoffs: 0)

        /// Repeat calls ÷ calls offered to its queues; nil with none offered.
        public var repeatRate: Double? { offered == 0 ? nil : Double(repeatCalls) / Double(offered) }
        /// References resolved on their first contact ÷ references resolved; nil with none.
        public var firstContactResolution: Double? {
            resolution.resolved == 0 ? nil : Double(resolution.firstContact) / Double(resolution.resolved)
        }
        /// Hand-offs of the references resolved ÷ references resolved; nil with none.
        public var handoffsPerReference: Double? {
            resolution.resolved == 0 ? nil : Double(resolution.handoffs) / Double(resolution.resolved)
        }

        public static func == (a: Row, b: Row) -> Bool {
            a.department == b.department && a.repeatCalls == b.repeatCalls && a.repeatTalk == b.repeatTalk
                && a.offered == b.offered && a.resolution == b.resolution
                && a.handoffsReceived == b.handoffsReceived && a.handoffsOverdue == b.handoffsOverdue && a.handoffsOpen == b.handoffsOpen
                && a.reasons.map(\.reason) == b.reasons.map(\.reason) && a.reasons.map(\.count) == b.reasons.map(\.count)
        }
    }

    /// One row per department that had anything, sorted by name.
    public static func rows(activity: DepartmentActivity) -> [Row] {
        var rows: [String: Row] = [:]
        func row(_ d: String) -> Row { rows[d] ?? Row(department: d) }
        for (d, n) in activity.repeats { rows[d] = { var r = row(d); r.repeatCalls = n; return r }() }
        for (d, talk) in activity.repeatTalk { rows[d] = { var r = row(d); r.repeatTalk = talk; return r }() }
        for (d, h) in activity.handoffs {
            var r = row(d)
            r.handoffsReceived = h.received
            r.handoffsOverdue = h.overdue
            r.handoffsOpen = h.open
            rows[d] = r
        }
        for (d, n) in activity.offered { rows[d] = { var r = row(d); r.offered = n; return r }() }
        for (d, x) in activity.resolutions { rows[d] = { var r = row(d); r.resolution = x; return r }() }
        for (d, counts) in activity.reasons {
            var r = row(d)
            r.reasons = counts.map { ($0.key, $0.value) }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }.map { (reason: $0.0, count: $0.1) }
            rows[d] = r
        }
        return rows.keys.sorted().map { rows[$0]! }
    }
}
