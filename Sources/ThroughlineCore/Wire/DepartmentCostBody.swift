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
    public var reasons: [Reason]

    public init(_ row: DepartmentCostBuilder.Row) {
        department = row.department
        repeatCalls = row.repeatCalls
        repeatTalkSeconds = row.repeatTalk.secondsToTenths
        handoffsReceived = row.handoffsReceived
        handoffsOverdue = row.handoffsOverdue
        handoffsOpen = row.handoffsOpen
        reasons = row.reasons.map { Reason(reason: $0.reason, count: $0.count) }
    }

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case department, repeatCalls = "repeat_calls", repeatTalkSeconds = "repeat_talk_s", handoffsReceived = "handoffs_received"
        case handoffsOverdue = "handoffs_overdue", handoffsOpen = "handoffs_open", reasons
    }

    /// CSV and table cells in `CodingKeys` order; reasons as `reason=count; …`.
    public var columns: [String] {
        [department, String(repeatCalls), String(repeatTalkSeconds), String(handoffsReceived), String(handoffsOverdue), String(handoffsOpen),
         reasons.map { "\($0.reason)=\($0.count)" }.joined(separator: "; ")]
    }
}
