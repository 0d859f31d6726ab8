import CPJSIP
import Foundation
import ThroughlineCore

/// Puts the plan's `user-agent` on every message Throughline sends: `User-Agent` on requests
/// (agent legs, BYEs, NOTIFYs), `Server` on responses (RFC 3261 sections 20.41 and 20.35), or
/// neither when the plan says "". pjsua's own `user_agent` is left empty so this is the only
/// writer, and a reload changes it for the next message.
///
/// A pjsip module whose `on_tx_request`/`on_tx_response` run on whichever thread sends (PJSIP's
/// worker threads, the controller thread); pjsip calls application modules before its
/// transport layer prints the message. `set` is called on the controller thread. The names are
/// C strings kept for the life of the process (one per distinct value a plan ever set).
final class ServerName: @unchecked Sendable {
    static let shared = ServerName()

    private let lock = NSLock()
    private var current: UnsafeMutablePointer<CChar>?
    private var kept: [String: UnsafeMutablePointer<CChar>] = [:]
    private var module: UnsafeMutablePointer<pjsip_module>?

    /// The value for both headers; empty sends neither. Called on the controller thread.
    func set(_ name: String) {
        lock.withLock {
            if name.isEmpty { current = nil; return }
            if kept[name] == nil { kept[name] = strdup(name) }
            current = kept[name]
        }
    }

    /// Registers the module. Called once, on the controller thread, after `pjsua_init`.
    func install() throws {
        guard module == nil else { return }
        set(PlanSettings().userAgent)
        let module = UnsafeMutablePointer<pjsip_module>.allocate(capacity: 1)
        module.initialize(to: pjsip_module())
        module.pointee.name = pj_str(strdup("mod-throughline-server-name"))
        module.pointee.id = -1
        module.pointee.priority = Int32(PJSIP_MOD_PRIORITY_APPLICATION.rawValue)
        module.pointee.on_tx_request = { tdata in ServerName.shared.stamp(tdata, header: "User-Agent"); return 0 }
        module.pointee.on_tx_response = { tdata in ServerName.shared.stamp(tdata, header: "Server"); return 0 }
        try pj("pjsip_endpt_register_module", pjsip_endpt_register_module(pjsua_get_pjsip_endpt(), module))
        self.module = module
    }

    /// Adds `header` with the current name unless the message has one (a retransmission, or a
    /// header the sender set itself).
    private func stamp(_ tdata: UnsafeMutablePointer<pjsip_tx_data>?, header: StaticString) {
        guard let tdata, let msg = tdata.pointee.msg, let value = lock.withLock({ current }) else { return }
        var name = pj_str(UnsafeMutablePointer(mutating: UnsafeRawPointer(header.utf8Start).assumingMemoryBound(to: CChar.self)))
        guard pjsip_msg_find_hdr_by_name(msg, &name, nil) == nil else { return }
        var text = pj_str(value)
        guard let hdr = pjsip_generic_string_hdr_create(tdata.pointee.pool, &name, &text) else { return }
        hdr.withMemoryRebound(to: pjsip_hdr.self, capacity: 1) { pjsip_msg_add_hdr(msg, $0) }
        // A message already printed (sent before, then changed) is printed again with the header.
        if pjsip_tx_data_is_valid(tdata) != 0 { pjsip_tx_data_invalidate_msg(tdata) }
    }
}
