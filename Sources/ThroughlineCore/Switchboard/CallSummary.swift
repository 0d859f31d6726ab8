/// A call as the wallboard and `GET /api/calls` show it: who, on which plan, and what it is
/// doing now (`menu main`, `queued in sales, ringing ann`, `connected to ben`).
public struct CallSummary: Sendable, Equatable {
    public var call: String
    public var sipCallID: String
    public var reference: String?
    public var from: String
    public var to: String
    public var plan: Int
    public var state: String

    public init(call: String, sipCallID: String, reference: String?, from: String, to: String, plan: Int, state: String) {
        self.call = call
        self.sipCallID = sipCallID
        self.reference = reference
        self.from = from
        self.to = to
        self.plan = plan
        self.state = state
    }
}
