import CPJSIP
import Foundation
import ThroughlineCore

/// Refuses a new call when the controller already holds as many as it may, or as many
/// callers as it may beside the slots kept for agents' legs (`reserve`): 503 Service
/// Unavailable with `Retry-After` (RFC 3261 sections 21.5.4 and 20.33), so a caller's
/// provider or proxy tries again or elsewhere, where pjsua alone would answer 486 Busy Here as
/// if the person called were busy. Each refusal is posted as `.callRefused` for the log.
///
/// A pjsip module placed before the registrar and pjsua, so it sees every request first and
/// takes only initial INVITEs (no To tag) arriving while pjsua's call count is at the limit,
/// or the calls other than agents' legs fill the limit less the reserved slots. Its
/// `on_rx_request` runs on a PJSIP worker thread; the limit is set once, at start, the
/// reservation at start and after each reload.
final class CapacityGate: @unchecked Sendable {
    static let shared = CapacityGate()
    /// Seconds a refused caller is asked to wait before trying again.
    static let retryAfter = 5

    private var limit = Int.max
    private let lock = NSLock()
    /// Slots kept for agents' legs; set from the controller thread, read on PJSIP's.
    private var reserved = 0
    private var module: UnsafeMutablePointer<pjsip_module>?

    /// Keeps `slots` of the limit for agents' legs. Called on the controller thread.
    func reserve(_ slots: Int) { lock.withLock { reserved = slots } }

    /// Registers the module with pjsip's endpoint, for `limit` calls (callers and agents'
    /// legs: every pjsua call). Called once, on the controller thread, after `pjsua_init`
    /// and before `pjsua_start`.
    func install(limit: Int) throws {
        guard module == nil else { return }
        self.limit = limit
        // Ahead of the registrar (1) and pjsua: a full controller refuses before anything else.
        module = try registerRequestModule(named: "mod-throughline-capacity", ahead: 2) { rdata in
            guard let rdata else { return 0 }
            return CapacityGate.shared.refusesAtCapacity(rdata) ? 1 : 0
        }
    }

    private func refusesAtCapacity(_ rdata: UnsafeMutablePointer<pjsip_rx_data>) -> Bool {
        guard let msg = rdata.pointee.msg_info.msg, msg.pointee.line.req.method.id == PJSIP_INVITE_METHOD,
              let to = rdata.pointee.msg_info.to, to.pointee.tag.slen == 0 else { return false }
        let calls = Int(pjsua_call_get_count()), legs = CallbackBridge.shared.outgoingCount
        guard calls >= limit || calls - legs >= limit - lock.withLock({ reserved }) else { return false }
        respondStatelessly(rdata, 503, "Service Unavailable", headers: [("Retry-After", String(Self.retryAfter))])
        let callID = rdata.pointee.msg_info.cid.map { String(pjString: $0.pointee.id) } ?? ""
        CallbackBridge.shared.post(.callRefused(from: sourceAddress(of: rdata), sipCallID: callID, reason: "capacity"))
        return true
    }
}
