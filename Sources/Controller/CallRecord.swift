import Foundation
import ThroughlineCore

/// What is kept of a finished call until the store (references issue) persists it: who,
/// where, on which plan, the path through the menus, and how it ended.
public struct CallRecord: Sendable {
    public var call: String
    public var sipCallID: String
    public var from: String
    public var to: String
    public var route: String
    public var campaign: String?
    public var plan: Int
    public var planHash: String
    public var arrivedAt: Date
    public var endedAt: Date
    public var code: Int
    public var reason: String
    /// The IVR outcome (`routed queue support`, `hung-up`, `caller-left`), or "none".
    public var outcome: String
    public var keys: String
    /// The caller's path: each step with its time since arrival (`13s`, `play main-short`).
    public var steps: [(at: String, step: String)]

    var json: [String: Any] {
        let time = ISO8601DateFormatter()
        time.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return [
            "call": call, "sip_call_id": sipCallID, "from": from, "to": to, "route": route, "campaign": campaign ?? NSNull(),
            "plan": plan, "plan_hash": planHash, "arrived_at": time.string(from: arrivedAt), "ended_at": time.string(from: endedAt),
            "code": code, "reason": reason, "outcome": outcome, "keys": keys,
            "path": steps.map { ["at": $0.at, "step": $0.step] },
        ]
    }
}
