/// `GET /api/plan/preview`: what a reload would do now, without doing it: the plan in force,
/// the files' errors and warnings, and the changes a reload would put in front of callers.
public struct PlanPreviewBody: Codable, Sendable, Equatable {
    /// The plan in force (it stays until a reload).
    @Nullable public var plan: PlanBody?
    public var errors: [String]
    public var warnings: [String]
    /// Against the plan in force; empty when the files change nothing, or have errors.
    public var changes: [PlanChangeBody]

    public init(plan: PlanBody?, errors: [String], warnings: [String], changes: [PlanChangeBody]) {
        self.plan = plan
        self.errors = errors
        self.warnings = warnings
        self.changes = changes
    }
}
