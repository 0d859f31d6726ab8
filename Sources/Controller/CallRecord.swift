import Foundation
import ThroughlineCore

/// What is kept of a finished call (the last 1,000 in memory for `GET /api/records`, every one
/// in the store): the switchboard's `FinishedCall` (who, where, on which plan, its reference,
/// the path, and how it ended), dated by the shell's wall clock.
public struct CallRecord: Sendable {
    public var call: FinishedCall
    public var arrivedAt: Date
    public var endedAt: Date

    public var sipCallID: String { call.sipCallID }

    /// The record as JSON text (what the store keeps).
    var jsonText: String { String(decoding: WireJSON.compact(body), as: UTF8.self) }

    /// The record on the wire (`GET /api/records`, the store). `outcome` is written as its
    /// description (`routed queue support`, `answered by ben`, `queue support: abandoned after 4.2s`).
    public var body: CallRecordBody {
        CallRecordBody(call: call.call.description, sipCallID: call.sipCallID, reference: call.reference?.description, from: call.from,
                       to: call.to, route: call.route, campaign: call.campaign, plan: call.plan, planHash: call.planHash,
                       arrivedAt: Logger.timestamp(arrivedAt), endedAt: Logger.timestamp(endedAt), code: call.code, reason: call.reason,
                       outcome: call.outcome.description, keys: call.keys, path: call.steps)
    }
}
