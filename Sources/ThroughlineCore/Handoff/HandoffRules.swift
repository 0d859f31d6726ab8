/// The rules of hand-offs, pure: what a request must be, who owns a new hand-off, who may
/// claim one, when it is due. Time is a parameter (Unix milliseconds). The store applies them
/// inside its transactions (`HandoffBook`), so a refused request writes nothing.
public enum HandoffRules {
    /// A note's largest size, in UTF-8 bytes.
    public static let noteLimit = 4096
    static let blanks: Set<Unicode.Scalar> = [" ", "\t", "\n", "\r"]

    /// The longest due time a request or a department may name.
    public static let longestDue: Duration = .seconds(365 * 86400)

    /// A request checked against the departments of the plan in force: the receiving
    /// department, the note trimmed, the due time (the request's, else the department's).
    public static func check(department name: String, note: String, due: String?,
                             in departments: [HandoffDepartment]) -> Result<(HandoffDepartment, String, Duration?), HandoffRefusal> {
        guard let department = departments.first(where: { $0.name == name }) else {
            return .failure(.unknownDepartment(name, valid: departments.map(\.name)))
        }
        let text = note.trimmingScalars(blanks)
        guard !text.isEmpty else { return .failure(.emptyNote) }
        guard text.utf8.count <= noteLimit else { return .failure(.noteTooLong(bytes: text.utf8.count)) }
        guard let due else { return .success((department, text, department.due)) }
        guard let duration = parseDue(due) else { return .failure(.badDue(due)) }
        return .success((department, text, duration))
    }

    /// `90s`, `45m`, `4h`, `2d`: a whole number and a unit, from 1 s to 365 d.
    public static func parseDue(_ text: String) -> Duration? {
        let t = text.trimmingScalars(blanks)
        guard let unit = t.last, let n = Int64(t.dropLast()), n > 0, n <= 365 * 86400 else { return nil }
        let seconds: Int64
        switch unit {
        case "s": seconds = n
        case "m": seconds = n * 60
        case "h": seconds = n * 3600
        case "d": seconds = n * 86400
        default: return nil
        }
        let d = Duration.seconds(seconds)
        return d <= longestDue ? d : nil
    }

    /// The owner of a new hand-off to `department`: `openCounts` are its agents' open
    /// hand-offs now, `lastAssigned` the agent the rule gave the previous one to. nil: the
    /// department's inbox (the rule says so, or it has no agents).
    public static func owner(for department: HandoffDepartment, openCounts: [String: Int], lastAssigned: String?) -> String? {
        let agents = department.agents
        guard !agents.isEmpty else { return nil }
        switch department.assign {
        case .unassigned:
            return nil
        case .fewestOpen:
            // min(by:) keeps the first of equals: ties go in plan order.
            return agents.min { openCounts[$0, default: 0] < openCounts[$1, default: 0] }
        case .roundRobin:
            guard let last = lastAssigned, let i = agents.firstIndex(of: last) else { return agents[0] }
            return agents[(i + 1) % agents.count]
        }
    }

    /// Whether `agent` (of `agentDepartments`) may claim `handoff`: open, of their
    /// department, and not someone else's (claiming one's own is no change, allowed).
    public static func claim(_ handoff: Handoff, by agent: String, agentDepartments: Set<String>) -> Result<Void, HandoffRefusal> {
        guard handoff.status == .open else { return .failure(.closed(handoff.id, handoff.status)) }
        guard agentDepartments.contains(handoff.department) else {
            return .failure(.notInDepartment(agent: agent, department: handoff.department))
        }
        if let owner = handoff.owner, owner != agent { return .failure(.alreadyOwned(by: owner)) }
        return .success(())
    }

    /// When a hand-off made at `createdAt` with `due` falls due.
    public static func dueAt(createdAt: Int64, due: Duration?) -> Int64? {
        due.map { createdAt + $0.components.seconds * 1000 }
    }

    /// What a pop and the desk say of an open hand-off: "handed to Billing by bob 3 h ago:
    /// refund shipping; owner carol" (or "in Billing's inbox").
    public static func summary(_ h: Handoff, departmentTitle: String, at now: Int64) -> String {
        let owner = h.owner.map { "owner \($0)" } ?? "in \(departmentTitle)'s inbox"
        var text = "handed to \(departmentTitle) by \(h.fromAgent) \(age(now - h.createdAt)) ago: \(h.note); \(owner)"
        if h.isOverdue(at: now) { text += "; overdue" }
        return text
    }

    /// `40 s`, `12 min`, `3 h`, `2 d`.
    public static func age(_ milliseconds: Int64) -> String {
        let s = max(0, milliseconds / 1000)
        if s < 60 { return "\(s) s" }
        if s < 3600 { return "\(s / 60) min" }
        if s < 86400 { return "\(s / 3600) h" }
        return "\(s / 86400) d"
    }
}
