import CPJSIP

/// Prompts a caller hears alone, fed to the call's stream without the conference bridge
/// (`--prompt-media direct`, the default).
///
/// In the bridge every such frame cost a read of the prompt's port, a level pass, a copy into
/// the call's mix buffer, a second level pass and a put to the stream, on threads that also
/// meet at a barrier every tick (BENCHMARKS.md, 2026-12-03: a third of the media threads' time
/// at 1,200 callers each hearing its own greeting). A caller alone with a prompt needs none of
/// that: it is a switch, not a mix (issue 22). Here each media thread has a shard with a
/// pjmedia clock of its own, and every 20 ms puts each of its calls' next frame straight to
/// the call's stream (`pjmedia_port_put_frame`), which encodes and sends it as before, with
/// its own sequence numbers, timestamps, SRTP and RTCP.
///
/// A call is driven from its first prompt heard alone until anything is connected to it in
/// the bridge (music, another party, a prompt in another format): then it goes back to the
/// bridge for good (`release`). Between prompts a driven call is fed empty frames, as the
/// bridge feeds a port nobody talks to, so `send-silence` means what it meant.
///
/// Calls are split between shards by pjsua slot. Called as each method of
/// `PromptDriverShard` says; `start` and `stop` on the controller thread, around pjsua's life.
final class PromptDriver: @unchecked Sendable {
    static let shared = PromptDriver()

    /// Set by `start` before pjsua takes calls and not changed after; read by pjsua's threads.
    /// `stop` stops each shard's clock and drops its streams but keeps the shards, so a late
    /// callback during `pjsua_destroy` still finds one.
    private var shards: [PromptDriverShard] = []

    /// Starts `count` shards, each with its clock thread. Called once on the controller thread,
    /// after `pjsua_init` and before `pjsua_start`, so no stream exists before the shards do.
    func start(count: Int, maxSlots: Int, samplesPerFrame: Int, frameMicroseconds: UInt32) throws(PJError) {
        guard let pool = pjsua_pool_create("throughline-driver", 1024, 1024) else {
            throw PJError(function: "pjsua_pool_create", status: -1, message: "no memory for the prompt driver's clocks")
        }
        var started: [PromptDriverShard] = []
        for _ in 0..<max(1, count) {
            let shard = PromptDriverShard(maxSlots: maxSlots, samplesPerFrame: samplesPerFrame)
            do {
                try shard.start(pool: pool, frameMicroseconds: frameMicroseconds)
            } catch {
                started.forEach { $0.stop() }
                throw error
            }
            started.append(shard)
        }
        shards = started
    }

    /// Stops every shard's clock and drops its streams. Called once on the controller thread,
    /// after the calls are hung up and before `pjsua_destroy`.
    func stop() {
        shards.forEach { $0.stop() }
    }

    private func shard(_ slot: pjsua_call_id) -> PromptDriverShard? {
        guard slot >= 0, !shards.isEmpty else { return nil }
        return shards[Int(slot) % shards.count]
    }

    func attach(slot: pjsua_call_id, port: UnsafeMutablePointer<pjmedia_port>) { shard(slot)?.attach(slot: slot, port: port) }
    func detach(slot: pjsua_call_id, carry: Bool = false) { shard(slot)?.detach(slot: slot, carry: carry) }
    func mediaActive(slot: pjsua_call_id) { shard(slot)?.mediaActive(slot: slot) }
    func callEnded(slot: pjsua_call_id) { shard(slot)?.callEnded(slot: slot) }
    func arm(slot: pjsua_call_id, confSlot: pjsua_conf_port_id) -> Bool { shard(slot)?.arm(slot: slot, confSlot: confSlot) ?? false }
    func play(slot: pjsua_call_id, audio: [PromptAudio], loop: Bool, token: UInt) { shard(slot)?.play(slot: slot, audio: audio, loop: loop, token: token) }
    func stop(slot: pjsua_call_id) { shard(slot)?.stop(slot: slot) }
    func release(slot: pjsua_call_id) -> PromptDriverShard.Remainder? { shard(slot)?.release(slot: slot) }

    /// The bridge applied a disconnect whose source is `confSlot`; on its clock thread, for
    /// every applied disconnect, so a shard does a dictionary lookup and no more.
    func markerApplied(confSlot: pjsua_conf_port_id) {
        for shard in shards { shard.markerApplied(confSlot: confSlot) }
    }
}
