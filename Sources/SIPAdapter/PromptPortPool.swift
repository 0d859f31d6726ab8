import CPJSIP

/// The `PromptPort`s: made when every existing one is busy, added to the bridge once, and used
/// again by the next prompt once the bridge has applied their last disconnect
/// (`PromptPortReturns`). The pool only grows: its high-water mark is the most prompts that
/// played at once, at most one a call, within the bridge's port limit (`config_site.h`).
///
/// Used by the adapter on the controller thread only.
final class PromptPortPool {
    private let pool: UnsafeMutablePointer<pj_pool_t>
    private let name: pj_str_t
    private let samplesPerFrame: Int
    private var free: [PromptPort] = []
    private var bySlot: [pjsua_conf_port_id: PromptPort] = [:]

    /// `name` must outlive the pool's ports (the adapter's string arena). Call after `pjsua_start`.
    init(name: pj_str_t, samplesPerFrame: Int) throws(PJError) {
        guard let pool = pjsua_pool_create("throughline-prompts", 4096, 4096) else {
            throw PJError(function: "pjsua_pool_create", status: -1, message: "no memory for the prompt ports' pool")
        }
        self.pool = pool
        self.name = name
        self.samplesPerFrame = samplesPerFrame
    }

    /// A port that no listener hears, ready for `configure` and a connect.
    func take() throws(PJError) -> PromptPort {
        for slot in PromptPortReturns.shared.drainReturned() {
            if let port = bySlot[slot] { free.append(port) }
        }
        if let port = free.popLast() { return port }
        let port = PromptPort(name: name, samplesPerFrame: samplesPerFrame)
        var slot = pjsua_conf_port_id()
        do {
            try pj("pjsua_conf_add_port", pjsua_conf_add_port(pool, port.port, &slot))
        } catch {
            port.deallocate()
            throw error
        }
        port.slot = slot
        bySlot[slot] = port
        return port
    }

    /// Gives back a port that was never connected (its connect failed).
    func giveBackUnconnected(_ port: PromptPort) { free.append(port) }

    /// Ends the port's playback: queues its disconnect from the call's bridge port, and takes
    /// the port back once the bridge applied it. When the bridge refuses to queue that (the
    /// call's port is gone or being removed, which drops the connection), a disconnect of the
    /// port from itself, which the bridge applies as a failure, marks the point in the queue
    /// after which the port has no listener.
    func release(_ port: PromptPort, from callPort: pjsua_conf_port_id) {
        PromptPortReturns.shared.awaitDisconnect(port.slot)
        if pjsua_conf_disconnect(port.slot, callPort) == 0 { return }
        if pjsua_conf_disconnect(port.slot, port.slot) == 0 { return }
        // Not reachable while pjsua runs (the port's slot is never removed); if it were, the
        // port stays out of use rather than risk playing to a listener it still has.
        PromptPortReturns.shared.cancel(port.slot)
    }

    /// Returns the pool to pjsua's pool factory; call just before `pjsua_destroy`, which
    /// destroys the factory. The bridge made its own pools for the ports, from the factory.
    func releasePool() { pj_pool_release(pool) }

    /// Frees every port's memory; call after `pjsua_destroy`, which removed them from the bridge.
    func deallocatePorts() {
        for port in bySlot.values { port.deallocate() }
        bySlot = [:]
        free = []
    }
}
