/// One call up now, in `GET /api/calls`.
public struct CallBody: Codable, Sendable, Equatable {
    public var call: String
    public var sipCallID: String
    @Nullable public var reference: String?
    public var from: String
    public var to: String
    /// The campaign the call answers (its route's, `Dialplan.campaign(for:at:)`).
    @Nullable public var campaign: String?
    public var plan: Int
    public var state: String

    public init(call: String, sipCallID: String, reference: String?, from: String, to: String, campaign: String? = nil, plan: Int, state: String) {
        self.campaign = campaign
        self.call = call
        self.sipCallID = sipCallID
        self.reference = reference
        self.from = from
        self.to = to
        self.plan = plan
        self.state = state
    }

    enum CodingKeys: String, CodingKey { case call, sipCallID = "sip_call_id", reference, from, to, campaign, plan, state }
}
