/// `POST /api/reload`: whether the plan was swapped in, the plan in force, and the
/// diagnostics (`file:line:col: error: …`).
public struct ReloadBody: Codable, Sendable, Equatable {
    public var reloaded: Bool
    @Nullable public var plan: PlanBody?
    public var errors: [String]
    public var warnings: [String]
    /// What the reload changed against the plan that was running (empty when refused, or
    /// when the files changed nothing a caller or agent would notice).
    public var changes: [PlanChangeBody]

    public init(reloaded: Bool, plan: PlanBody?, errors: [String], warnings: [String], changes: [PlanChangeBody] = []) {
        self.reloaded = reloaded
        self.plan = plan
        self.errors = errors
        self.warnings = warnings
        self.changes = changes
    }

    // Older controllers answered without `changes`: read them as none.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        reloaded = try c.decode(Bool.self, forKey: .reloaded)
        _plan = try c.decodeIfPresent(Nullable<PlanBody>.self, forKey: .plan) ?? Nullable(wrappedValue: nil)
        errors = try c.decode([String].self, forKey: .errors)
        warnings = try c.decode([String].self, forKey: .warnings)
        changes = try c.decodeIfPresent([PlanChangeBody].self, forKey: .changes) ?? []
    }
}
