/// A call offered to an agent, as their desk's `offer` event and the webhook's `offer`,
/// `answer` and `end` bodies carry it. Field names are a public contract (README, "Stable
/// fields"); `reference` and `campaign` are written as `null` when absent, and so is
/// `department` once the reference's part is there. The other optional fields are absent
/// when they do not apply: `queue`/`hunt` (where the caller waits), the reference's part
/// (no reference, or not read), `offered_at*` (offers only), `directory` (desks only),
/// `event`/`sent_at` (webhook only), `code` (ended legs only), `handoff` (a department holds
/// the reference by an open hand-off), `callback` (the number a call back will ring, when
/// the offer is one).
public struct PopBody: Codable, Sendable, Equatable {
    public var call: String
    public var sipCallID: String
    public var agent: String
    public var reference: String?
    public var caller: String
    public var dialled: String
    public var route: String
    public var campaign: String?
    public var path: [PathStepBody]
    /// Seconds since the call arrived, one decimal.
    public var waitSeconds: Double
    public var queue: String?
    public var hunt: String?
    /// A call back's offer: the customer's number, called once the agent answers.
    public var callback: String?
    public var referenceContext: ReferenceContextBody?
    public var offeredAt: String?
    /// Microseconds since 1970 on the controller's clock, for pop latency on one machine.
    public var offeredAtMicroseconds: Int64?
    public var directory: [DirectoryDepartmentBody]?
    public var event: String?
    public var sentAt: String?
    public var code: Int?

    public init(call: String, sipCallID: String, agent: String, reference: String?, caller: String, dialled: String, route: String,
                campaign: String?, path: [PathStepBody], waitSeconds: Double, queue: String? = nil, hunt: String? = nil) {
        self.call = call
        self.sipCallID = sipCallID
        self.agent = agent
        self.reference = reference
        self.caller = caller
        self.dialled = dialled
        self.route = route
        self.campaign = campaign
        self.path = path
        self.waitSeconds = waitSeconds
        self.queue = queue
        self.hunt = hunt
    }

    /// The same body with the reference's part added (or replaced).
    public func with(_ context: ReferenceContextBody?) -> PopBody {
        var copy = self
        if let context { copy.referenceContext = context }
        return copy
    }

    enum CodingKeys: String, CodingKey {
        case call, sipCallID = "sip_call_id", agent, reference, caller, dialled, route, campaign, path, waitSeconds = "wait_s", queue, hunt, callback
        case referenceStatus = "reference_status", department, journeyTotal = "journey_total", journey, handoff
        case offeredAt = "offered_at", offeredAtMicroseconds = "offered_at_us", directory, event, sentAt = "sent_at", code
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(call, forKey: .call)
        try c.encode(sipCallID, forKey: .sipCallID)
        try c.encode(agent, forKey: .agent)
        try c.encode(reference, forKey: .reference)
        try c.encode(caller, forKey: .caller)
        try c.encode(dialled, forKey: .dialled)
        try c.encode(route, forKey: .route)
        try c.encode(campaign, forKey: .campaign)
        try c.encode(path, forKey: .path)
        try c.encode(waitSeconds, forKey: .waitSeconds)
        try c.encodeIfPresent(queue, forKey: .queue)
        try c.encodeIfPresent(hunt, forKey: .hunt)
        try c.encodeIfPresent(callback, forKey: .callback)
        if let r = referenceContext {
            try c.encode(r.referenceStatus, forKey: .referenceStatus)
            try c.encode(r.department, forKey: .department)
            try c.encode(r.journeyTotal, forKey: .journeyTotal)
            try c.encode(r.journey, forKey: .journey)
            try c.encodeIfPresent(r.handoff, forKey: .handoff)
        }
        try c.encodeIfPresent(offeredAt, forKey: .offeredAt)
        try c.encodeIfPresent(offeredAtMicroseconds, forKey: .offeredAtMicroseconds)
        try c.encodeIfPresent(directory, forKey: .directory)
        try c.encodeIfPresent(event, forKey: .event)
        try c.encodeIfPresent(sentAt, forKey: .sentAt)
        try c.encodeIfPresent(code, forKey: .code)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        call = try c.decode(String.self, forKey: .call)
        sipCallID = try c.decode(String.self, forKey: .sipCallID)
        agent = try c.decode(String.self, forKey: .agent)
        reference = try c.decodeIfPresent(String.self, forKey: .reference)
        caller = try c.decode(String.self, forKey: .caller)
        dialled = try c.decode(String.self, forKey: .dialled)
        route = try c.decode(String.self, forKey: .route)
        campaign = try c.decodeIfPresent(String.self, forKey: .campaign)
        path = try c.decode([PathStepBody].self, forKey: .path)
        waitSeconds = try c.decode(Double.self, forKey: .waitSeconds)
        queue = try c.decodeIfPresent(String.self, forKey: .queue)
        hunt = try c.decodeIfPresent(String.self, forKey: .hunt)
        callback = try c.decodeIfPresent(String.self, forKey: .callback)
        if let status = try c.decodeIfPresent(String.self, forKey: .referenceStatus) {
            referenceContext = ReferenceContextBody(
                referenceStatus: status, department: try c.decodeIfPresent(String.self, forKey: .department),
                journeyTotal: try c.decode(Int.self, forKey: .journeyTotal), journey: try c.decode([JourneyEventBody].self, forKey: .journey),
                handoff: try c.decodeIfPresent(HandoffBody.self, forKey: .handoff))
        }
        offeredAt = try c.decodeIfPresent(String.self, forKey: .offeredAt)
        offeredAtMicroseconds = try c.decodeIfPresent(Int64.self, forKey: .offeredAtMicroseconds)
        directory = try c.decodeIfPresent([DirectoryDepartmentBody].self, forKey: .directory)
        event = try c.decodeIfPresent(String.self, forKey: .event)
        sentAt = try c.decodeIfPresent(String.self, forKey: .sentAt)
        code = try c.decodeIfPresent(Int.self, forKey: .code)
    }
}
