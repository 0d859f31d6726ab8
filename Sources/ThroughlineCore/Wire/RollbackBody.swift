/// `POST /api/plan/rollback`'s answer: the history entry put back, the plan now in force and
/// what the rollback changed against the plan before it.
public struct RollbackBody: Codable, Sendable, Equatable {
    public var rolledBack: Bool
    /// The history entry (`GET /api/plan/history`) now in force.
    public var to: Int
    @Nullable public var plan: PlanBody?
    public var changes: [PlanChangeBody]
    public var errors: [String]

    enum CodingKeys: String, CodingKey {
        case to, plan, changes, errors
        case rolledBack = "rolled_back"
    }

    public init(rolledBack: Bool, to: Int, plan: PlanBody?, changes: [PlanChangeBody], errors: [String]) {
        self.rolledBack = rolledBack
        self.to = to
        self.plan = plan
        self.changes = changes
        self.errors = errors
    }
}
