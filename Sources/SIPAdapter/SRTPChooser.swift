import CPJSIP
import Foundation
import ThroughlineCore

/// Decides each call's SRTP use (`pjmedia_srtp_setting.use`) when pjsua creates its SRTP media
/// transport: a caller's call takes the plan's `srtp` setting, an agent's leg the mode its
/// `.dial` command carries (the agent's `srtp` line, else the plan's).
///
/// pjsua creates that transport only when the account's `use_srtp` is not disabled, so the
/// adapter sets the account to optional while the plan or any agent wants SRTP, and to disabled
/// otherwise (no SRTP layer on any call). `on_create_media_transport_srtp` runs on PJSIP's
/// worker thread for an incoming INVITE and, for an agent leg, on the controller thread inside
/// `pjsua_call_make_call` (no ICE: media is created before it returns), which is how a leg is
/// told from a caller: the controller thread marks the dial it is placing. One lock.
///
/// With `srtp mandatory`, a caller's INVITE whose offer has no SRTP (no `RTP/SAVP` line with
/// an `a=crypto` key, RFC 4568) is refused by this type's module with 488 Not Acceptable Here
/// and a 305 Warning (RFC 3261 sections 21.4.26 and 20.43), where pjsua alone would answer
/// 480, as if nobody were there. Its `on_rx_request` runs on a PJSIP worker thread.
final class SRTPChooser: @unchecked Sendable {
    static let shared = SRTPChooser()

    private let lock = NSLock()
    private var callers = SRTPMode.off
    private var dialing: (mode: SRTPMode, thread: pthread_t)?
    private var module: UnsafeMutablePointer<pjsip_module>?

    /// Registers the module that refuses plain offers under `srtp mandatory`. Called once, on
    /// the controller thread, after `pjsua_init`.
    func install() throws {
        guard module == nil else { return }
        module = try registerRequestModule(named: "mod-throughline-srtp", ahead: 2) { rdata in
            guard let rdata else { return 0 }
            return SRTPChooser.shared.refusesPlainOffer(rdata) ? 1 : 0
        }
    }

    private func refusesPlainOffer(_ rdata: UnsafeMutablePointer<pjsip_rx_data>) -> Bool {
        guard lock.withLock({ callers }) == .mandatory, let msg = rdata.pointee.msg_info.msg,
              msg.pointee.line.req.method.id == PJSIP_INVITE_METHOD,
              let to = rdata.pointee.msg_info.to, to.pointee.tag.slen == 0,
              let body = msg.pointee.body, let data = body.pointee.data else { return false }  // no offer: pjsua makes one
        let sdp = String(decoding: UnsafeRawBufferPointer(start: data, count: Int(body.pointee.len)), as: UTF8.self)
        guard !(sdp.contains("RTP/SAVP") && sdp.contains("a=crypto:")) else { return false }
        respondStatelessly(rdata, 488, "Not Acceptable Here", headers: [("Warning", "305 throughline \"SRTP required\"")])
        let callID = rdata.pointee.msg_info.cid.map { String(pjString: $0.pointee.id) } ?? ""
        CallbackBridge.shared.post(.callRefused(from: sourceAddress(of: rdata), sipCallID: callID, reason: "srtp required"))
        return true
    }

    /// The plan's mode for callers. Called on the controller thread.
    func setCallers(_ mode: SRTPMode) { lock.withLock { callers = mode } }

    /// Runs `place` (which calls `pjsua_call_make_call`) with `mode` for the leg it creates.
    /// Called on the controller thread.
    func dialing<T>(_ mode: SRTPMode, _ place: () throws -> T) rethrows -> T {
        lock.withLock { dialing = (mode, pthread_self()) }
        defer { lock.withLock { dialing = nil } }
        return try place()
    }

    /// The `use` for the call whose SRTP transport is being created now.
    func use() -> pjmedia_srtp_use {
        let mode = lock.withLock {
            if let dialing, pthread_equal(dialing.thread, pthread_self()) != 0 { return dialing.mode }
            return callers
        }
        switch mode {
        case .off: return PJMEDIA_SRTP_DISABLED
        case .optional: return PJMEDIA_SRTP_OPTIONAL
        case .mandatory: return PJMEDIA_SRTP_MANDATORY
        }
    }
}
