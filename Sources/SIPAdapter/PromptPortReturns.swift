import Foundation
import CPJSIP

/// Which prompt ports the bridge has let go of: a released port's disconnect is queued in the
/// bridge's operation queue and applied on its clock thread up to a tick later; until then the
/// port may still be read for its last listener, so it must not be configured for another.
///
/// `awaitDisconnect` and `drainReturned` are called on the controller thread (`PromptPortPool`);
/// `disconnectApplied` on the bridge's clock thread, from pjsua's `on_conf_op_completed`.
final class PromptPortReturns: @unchecked Sendable {
    static let shared = PromptPortReturns()

    private let lock = NSLock()
    private var awaiting: Set<pjsua_conf_port_id> = []
    private var returned: [pjsua_conf_port_id] = []

    /// Notes that a disconnect with `slot` as its source is about to be queued. Call before
    /// queueing it, so its completion cannot come first.
    func awaitDisconnect(_ slot: pjsua_conf_port_id) {
        lock.withLock { _ = awaiting.insert(slot) }
    }

    /// Forgets a slot whose disconnect could not be queued after all.
    func cancel(_ slot: pjsua_conf_port_id) {
        lock.withLock { _ = awaiting.remove(slot) }
    }

    /// The bridge applied a disconnect whose source is `slot` (whether or not the two were
    /// connected: either way, every operation queued before it is applied too).
    func disconnectApplied(source slot: pjsua_conf_port_id) {
        lock.withLock {
            if awaiting.remove(slot) != nil { returned.append(slot) }
        }
    }

    /// The slots returned since the last call, oldest first.
    func drainReturned() -> [pjsua_conf_port_id] {
        lock.withLock {
            defer { returned.removeAll(keepingCapacity: true) }
            return returned
        }
    }

    /// pjsua's `on_conf_op_completed`; runs on the bridge's clock thread for every applied
    /// connect, disconnect, add and remove, so it does no more than a comparison for the rest.
    /// A disconnect may also be a `PromptDriver` marker (a call's port from itself).
    static let operationCompleted: @convention(c) (UnsafePointer<pjmedia_conf_op_info>?) -> Void = { info in
        guard let info, info.pointee.op_type == PJMEDIA_CONF_OP_DISCONNECT_PORTS else { return }
        let source = pjsua_conf_port_id(bitPattern: info.pointee.op_param.disconnect_ports.src)
        shared.disconnectApplied(source: source)
        PromptDriver.shared.markerApplied(confSlot: source)
    }
}
