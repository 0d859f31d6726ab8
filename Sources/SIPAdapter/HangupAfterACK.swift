import CPJSIP
import Foundation

/// Hang-ups of answered calls whose ACK has not arrived yet, held until it does.
///
/// RFC 3261 section 15: "the callee's UA MUST NOT send a BYE on a confirmed dialog until it has
/// received an ACK for its 2xx response or until the server transaction times out." pjsip
/// holds a BYE asked for in that window (its invite session CONNECTING) until the ACK (its
/// issue 1712), but when the ACK then moves the call to CONFIRMED, pjsua, which is hanging the
/// call up, ends the session once more (a branch meant for a CANCEL crossing a 200): the
/// caller got two BYEs, the second answered 481 by a phone and counted a failed call by SIPp
/// (`ShutdownTests`, once in CI, a controller stopped two milliseconds after answering). With
/// the ACK 400 ms late (the late-ACK scenario) a controller stopping in the window sent its
/// BYE 250 ms before the ACK, for a reason in pjsua's shutdown not traced further.
///
/// So the adapter hands such a hang-up here instead of to pjsua, and the call's CONFIRMED
/// state (the ACK, on a pjsua thread) performs it. If the ACK never comes, pjsip ends the
/// call itself when the 2xx transaction times out (a BYE of its own) and DISCONNECTED drops
/// the held one.
///
/// The handover cannot lose a hang-up or perform one twice: `hangUp` records it before
/// it reads the call's state, `acknowledged` runs after pjsip has moved the state on, and
/// whichever of the two takes the record out of the table (under its lock) hangs up.
final class HangupAfterACK: @unchecked Sendable {
    static let shared = HangupAfterACK()

    private let lock = NSLock()
    private var held: [pjsua_call_id: UInt32] = [:]

    /// Hangs up the call in `slot` with `code` now, or holds the hang-up until its ACK when
    /// the call is an answered incoming call not yet acknowledged. Called on the controller
    /// thread by `PJSUAAdapter.execute(.hangup)`.
    func hangUp(slot: pjsua_call_id, code: UInt32) throws {
        lock.withLock { held[slot] = code }
        if let info = CallInfo(slot: slot), info.role == PJSIP_ROLE_UAS, info.state == PJSIP_INV_STATE_CONNECTING {
            return
        }
        guard let code = take(slot) else { return }
        try pj("pjsua_call_hangup", pjsua_call_hangup(slot, code, nil, nil))
    }

    /// The call's ACK arrived (`on_call_state`, CONFIRMED, on a pjsua thread): a hang-up held
    /// for it is performed now, from the callback (pjsua allows it there).
    func acknowledged(slot: pjsua_call_id) {
        guard let code = take(slot) else { return }
        _ = pjsua_call_hangup(slot, code, nil, nil)
    }

    /// The call ended (`on_call_state`, DISCONNECTED, on a pjsua thread): pjsip gave up
    /// waiting for the ACK, or the caller hung up first. Nothing is left to do for it.
    func ended(slot: pjsua_call_id) {
        _ = take(slot)
    }

    /// Waits, at most `limit` seconds, for every held hang-up to be performed; called on the
    /// controller thread by `PJSUAAdapter.shutdown` before `pjsua_call_hangup_all`, which
    /// would otherwise hang those calls up inside their ACK window after all. ACKs take
    /// milliseconds; a lost one is repeated when pjsip retransmits the 200 after 500 ms
    /// (RFC 3261 section 13.3.1.4).
    func waitUntilPerformed(limit: TimeInterval) {
        let deadline = Date().addingTimeInterval(limit)
        while lock.withLock({ !held.isEmpty }), Date() < deadline {
            Thread.sleep(forTimeInterval: 0.005)
        }
    }

    private func take(_ slot: pjsua_call_id) -> UInt32? {
        lock.withLock { held.removeValue(forKey: slot) }
    }
}
