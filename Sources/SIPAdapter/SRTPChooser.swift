import CPJSIP
import Foundation
import ThroughlineCore

/// Decides a caller's SRTP use (`pjmedia_srtp_setting.use`) when pjsua creates the call's SRTP
/// media transport: the plan's `srtp` setting. (An agent's leg leaves from a local account
/// made for its mode, `PJSUAAdapter.legAccounts`, whose own `use_srtp` decides it: pjsua reads
/// the callback's `use` for an answer but builds an offer from the account.)
///
/// pjsua creates that transport only when the account's `use_srtp` is not disabled, so the
/// adapter sets the callers' accounts to optional while the plan's `srtp` is not off, and to
/// disabled otherwise (no SRTP layer on a caller's call). Every incoming call is given to the
/// callers' account of its transport (`on_acc_find_for_incoming`), never to a leg account.
/// `on_create_media_transport_srtp` runs on PJSIP's worker thread for an incoming INVITE and,
/// for an agent leg, on the controller thread inside `pjsua_call_make_call` (no ICE: media is
/// created before it returns), which is how a leg is told from a caller: the controller thread
/// marks the dial it is placing, and a leg keeps its account's setting. One lock.
///
/// With `srtp mandatory`, a caller's INVITE whose offer has no SRTP (no `RTP/SAVP` line with
/// an `a=crypto` key, RFC 4568) is refused by this type's module with 488 Not Acceptable Here
/// and a 305 Warning (RFC 3261 sections 21.4.26 and 20.43), where pjsua alone would answer
/// 480, as if nobody were there. Its `on_rx_request` runs on a PJSIP worker thread.
final class SRTPChooser: @unchecked Sendable {
    static let shared = SRTPChooser()

    private let lock = NSLock()
    private var callers = SRTPMode.off
    /// The thread placing an agent's leg now, if any.
    private var dialingThread: pthread_t?
    /// The callers' accounts: UDP's, and TLS's with `--sip-tls`.
    private var udpAccount: pjsua_acc_id = -1
    private var tlsAccount: pjsua_acc_id?
    private var module: UnsafeMutablePointer<pjsip_module>?

    /// The accounts incoming calls belong to. Called once, on the controller thread, at start.
    func setCallerAccounts(udp: pjsua_acc_id, tls: pjsua_acc_id?) {
        lock.withLock {
            udpAccount = udp
            tlsAccount = tls
        }
    }

    /// The callers' account for an incoming request: TLS's when it came over TLS. Called on a
    /// PJSIP worker thread.
    func account(for rdata: UnsafePointer<pjsip_rx_data>) -> pjsua_acc_id? {
        let type = rdata.pointee.tp_info.transport.map { pjsip_transport_type_e(UInt32($0.pointee.key.type)) }
        return lock.withLock {
            guard udpAccount >= 0 else { return nil }
            return type == PJSIP_TRANSPORT_TLS || type == PJSIP_TRANSPORT_TLS6 ? tlsAccount ?? udpAccount : udpAccount
        }
    }

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

    /// Runs `place` (which calls `pjsua_call_make_call`) marked as a leg, whose SRTP its
    /// account decides. Called on the controller thread.
    func dialing<T>(_ place: () throws -> T) rethrows -> T {
        lock.withLock { dialingThread = pthread_self() }
        defer { lock.withLock { dialingThread = nil } }
        return try place()
    }

    /// The `use` for the call whose SRTP transport is being created now: the plan's for a
    /// caller; nil (keep the account's) for a leg being placed.
    func use() -> pjmedia_srtp_use? {
        let mode: SRTPMode? = lock.withLock {
            if let dialingThread, pthread_equal(dialingThread, pthread_self()) != 0 { return nil }
            return callers
        }
        return mode.map(Self.use)
    }

    /// pjmedia's value for `mode`.
    static func use(_ mode: SRTPMode) -> pjmedia_srtp_use {
        switch mode {
        case .off: return PJMEDIA_SRTP_DISABLED
        case .optional: return PJMEDIA_SRTP_OPTIONAL
        case .mandatory: return PJMEDIA_SRTP_MANDATORY
        }
    }
}
