import Foundation
import ThroughlineCore

/// What is kept of a finished call (the last 1,000 in memory for `GET /api/records`, every one
/// in the store): who, where, on which plan, its reference, the path, and how it ended.
public struct CallRecord: Sendable {
    public var call: String
    public var sipCallID: String
    /// `482-103-3712`; nil only when the store could not issue one.
    public var reference: String?
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
    /// How the call ended up; written as its description (`routed queue support`,
    /// `answered by ben`, `queue support: abandoned after 4.2s`, `none`).
    public var outcome: CallOutcome
    public var keys: String
    /// The caller's path: each step with its time since arrival (`13s`, `play main-short`).
    public var steps: [(at: String, step: String)]

    /// The record as JSON text (what the store keeps).
    var jsonText: String { String(decoding: WireJSON.compact(body), as: UTF8.self) }

    /// The record on the wire (`GET /api/records`, the store).
    public var body: CallRecordBody {
        CallRecordBody(call: call, sipCallID: sipCallID, reference: reference, from: from, to: to, route: route, campaign: campaign, plan: plan,
                       planHash: planHash, arrivedAt: Logger.timestamp(arrivedAt), endedAt: Logger.timestamp(endedAt), code: code,
                       reason: reason, outcome: outcome.description, keys: keys, path: steps.map { PathStepBody(at: $0.at, step: $0.step) })
    }
}
