/// A hand-off as the API (`POST /api/references/REF/handoff`, `GET /api/handoffs/ID`,
/// `GET /api/departments/NAME/handoffs`), the desk's `handoff` events and a repeat caller's
/// pop show it. `from_department`, `due_at`, `owner` are written as `null` when absent;
/// `summary` is the line a person reads ("handed to Billing by bob 3 h ago: …; owner carol").
public struct HandoffBody: Codable, Sendable, Equatable {
    public var id: Int64
    public var reference: String
    /// `open`, `handed-on` or `resolved`.
    public var status: String
    public var department: String
    public var departmentTitle: String
    @Nullable public var fromDepartment: String?
    public var from: String
    public var note: String
    public var createdAt: String
    @Nullable public var dueAt: String?
    @Nullable public var owner: String?
    public var overdue: Bool
    public var repeats: Int
    public var summary: String

    /// `h` as it stands at `now` (Unix milliseconds), its department called `title`.
    public init(_ h: Handoff, departmentTitle title: String, at now: Int64) {
        id = h.id
        reference = h.reference.description
        status = h.status.rawValue
        department = h.department
        departmentTitle = title
        fromDepartment = h.fromDepartment
        from = h.fromAgent
        note = h.note
        createdAt = UTCTimestamp.string(unixMilliseconds: h.createdAt)
        dueAt = h.dueAt.map { UTCTimestamp.string(unixMilliseconds: $0) }
        owner = h.owner
        overdue = h.isOverdue(at: now)
        repeats = h.repeats
        summary = HandoffRules.summary(h, departmentTitle: title, at: now)
    }

    enum CodingKeys: String, CodingKey {
        case id, reference, status, department, departmentTitle = "department_title", fromDepartment = "from_department", from, note
        case createdAt = "created_at", dueAt = "due_at", owner, overdue, repeats, summary
    }
}
