/// One department of the cost report (`throughline report --costs`, `GET
/// /api/reports?costs=true`): repeat calls charged to it and their agent time, hand-offs it
/// received, and what its customers called about.
public struct DepartmentCostBody: Codable, Sendable, Equatable {
    public struct Reason: Codable, Sendable, Equatable {
        public var reason: String
        public var count: Int
    }

    public var department: String
    public var repeatCalls: Int
    public var repeatTalkSeconds: Double
    public var handoffsReceived: Int
    public var handoffsOverdue: Int
    public var handoffsOpen: Int
    public var offered: Int
    /// Repeat calls ÷ calls offered to its queues.
    @Nullable public var repeatRate: Double?
    public var resolved: Int
    /// Resolved on first contact ÷ resolved.
    @Nullable public var firstContactResolution: Double?
    /// Hand-offs of the references resolved ÷ resolved.
    @Nullable public var handoffsPerReference: Double?
    public var reasons: [Reason]

    public init(_ row: DepartmentCostBuilder.Row) {
        department = row.department
        repeatCalls = row.repeatCalls
        repeatTalkSeconds = row.repeatTalk.secondsToTenths
        handoffsReceived = row.handoffsReceived
        handoffsOverdue = row.handoffsOverdue
        handoffsOpen = row.handoffsOpen
        offered = row.offered
        repeatRate = row.repeatRate.map { ($0 * 1000).rounded() / 1000 }
        resolved = row.resolution.resolved
        firstContactResolution = row.firstContactResolution.map { ($0 * 1000).rounded() / 1000 }
        handoffsPerReference = row.handoffsPerReference.map { ($0 * 100).rounded() / 100 }
        reasons = row.reasons.map { Reason(reason: $0.reason, count: $0.count) }
    }

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case department, repeatCalls = "repeat_calls", repeatTalkSeconds = "repeat_talk_s", handoffsReceived = "handoffs_received"
        case handoffsOverdue = "handoffs_overdue", handoffsOpen = "handoffs_open", offered, repeatRate = "repeat_rate", resolved
        case firstContactResolution = "first_contact_resolution", handoffsPerReference = "handoffs_per_reference", reasons
    }

    /// The table's column titles, one per cell of `columns` (the CSV header is `CodingKeys`).
    public static let tableHeader = ["department", "repeats", "repeat talk s", "hand-offs", "overdue", "open", "offered", "repeat rate",
                                     "resolved", "first contact", "hand-offs/ref", "reasons (most frequent first)"]

    /// CSV and table cells in `CodingKeys` order; reasons as `reason=count; …`.
    public var columns: [String] {
        let ratio = { (v: Double?) in v.map { String($0) } ?? "" }
        return [department, String(repeatCalls), String(repeatTalkSeconds), String(handoffsReceived), String(handoffsOverdue), String(handoffsOpen),
         String(offered), ratio(repeatRate), String(resolved), ratio(firstContactResolution), ratio(handoffsPerReference),
         reasons.map { "\($0.reason)=\($0.count)" }.joined(separator: "; ")]
    }
}
