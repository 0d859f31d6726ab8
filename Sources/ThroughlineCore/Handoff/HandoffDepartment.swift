/// What the hand-off rules need to know of one department of the plan in force: its agents
/// (plan order), its assignment rule and its default due time. Built from the plan by
/// `all(in:)` at each load; read by the API on HTTP threads.
public struct HandoffDepartment: Sendable, Equatable {
    public var name: String
    public var title: String
    public var handles: [String]
    public var agents: [String]
    public var assign: HandoffAssignment
    /// Due this long after the hand-off unless the request names a time; nil: never due.
    public var due: Duration?

    public init(name: String, title: String, handles: [String], agents: [String], assign: HandoffAssignment, due: Duration?) {
        self.name = name
        self.title = title
        self.handles = handles
        self.agents = agents
        self.assign = assign
        self.due = due
    }

    /// Every department of `plan`, in file order.
    public static func all(in plan: Dialplan) -> [HandoffDepartment] {
        plan.departments.map { d in
            HandoffDepartment(name: d.name.value, title: d.title, handles: d.handles,
                              agents: plan.agents.filter { a in a.departments.contains { $0.value == d.name.value } }.map(\.name.value),
                              assign: d.assign?.value ?? .fewestOpen, due: d.handoffDue)
        }
    }
}
