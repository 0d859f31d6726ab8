/// `GET /api/plan/history`: every plan that loaded, oldest first, and the one in force.
public struct PlanHistoryBody: Codable, Sendable, Equatable {
    public var plans: [PlanArchiveEntryBody]
    /// The content hash of the plan in force (the newest entry with it is the one running).
    public var inForce: String?

    enum CodingKeys: String, CodingKey {
        case plans
        case inForce = "in_force"
    }

    public init(plans: [PlanArchiveEntryBody], inForce: String?) {
        self.plans = plans
        self.inForce = inForce
    }
}
