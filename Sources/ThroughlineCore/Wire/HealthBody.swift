/// `GET /api/health` (no token).
public struct HealthBody: Codable, Sendable, Equatable {
    public var status: String
    public var version: String
    @Nullable public var plan: PlanBody?
    public var calls: Int

    public init(status: String, version: String, plan: PlanBody?, calls: Int) {
        self.status = status
        self.version = version
        self.plan = plan
        self.calls = calls
    }
}
