/// A finished call's record: `GET /api/records` and the store's copy.
public struct CallRecordBody: Codable, Sendable, Equatable {
    public var call: String
    public var sipCallID: String
    @Nullable public var reference: String?
    public var from: String
    public var to: String
    public var route: String
    @Nullable public var campaign: String?
    public var plan: Int
    public var planHash: String
    public var arrivedAt: String
    public var endedAt: String
    public var code: Int
    public var reason: String
    public var outcome: String
    public var keys: String
    public var path: [PathStepBody]

    public init(call: String, sipCallID: String, reference: String?, from: String, to: String, route: String, campaign: String?, plan: Int,
                planHash: String, arrivedAt: String, endedAt: String, code: Int, reason: String, outcome: String, keys: String, path: [PathStepBody]) {
        self.call = call
        self.sipCallID = sipCallID
        self.reference = reference
        self.from = from
        self.to = to
        self.route = route
        self.campaign = campaign
        self.plan = plan
        self.planHash = planHash
        self.arrivedAt = arrivedAt
        self.endedAt = endedAt
        self.code = code
        self.reason = reason
        self.outcome = outcome
        self.keys = keys
        self.path = path
    }

    enum CodingKeys: String, CodingKey {
        case call, sipCallID = "sip_call_id", reference, from, to, route, campaign, plan, planHash = "plan_hash"
        case arrivedAt = "arrived_at", endedAt = "ended_at", code, reason, outcome, keys, path
    }
}
