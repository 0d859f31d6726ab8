/// `POST /api/reload`: whether the plan was swapped in, the plan in force, and the
/// diagnostics (`file:line:col: error: …`).
public struct ReloadBody: Codable, Sendable, Equatable {
    public var reloaded: Bool
    @Nullable public var plan: PlanBody?
    public var errors: [String]
    public var warnings: [String]

    public init(reloaded: Bool, plan: PlanBody?, errors: [String], warnings: [String]) {
        self.reloaded = reloaded
        self.plan = plan
        self.errors = errors
        self.warnings = warnings
    }
}
