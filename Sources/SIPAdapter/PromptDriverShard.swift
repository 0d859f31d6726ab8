import CPJSIP
import Foundation

/// One media thread's share of the `PromptDriver`: the calls whose pjsua slot falls to it,
/// and a pjmedia clock that feeds each driven call's stream a frame every 20 ms.
///
/// Threads: `tick` runs on the shard's clock thread (a pjmedia clock, so a thread pjlib
/// knows); `attach`, `detach`, `mediaActive` and `callEnded` on pjsua's threads (stream and
/// call callbacks); `arm`, `play`, `stop` and `release` on the controller thread (`arm` also
/// from `mediaActive`); `markerApplied` on the bridge's clock thread. One lock guards the
/// entries; pjsua is never called under it. `tick` holds it while it feeds a
/// batch of 64 streams, so once any other method has returned, the tick is not inside
/// anything that method changed: after `release` or `detach`, no frame from this shard
/// reaches that stream.
final class PromptDriverShard: @unchecked Sendable {
    enum Mode: UInt8 {
        /// The bridge feeds the stream (the call's port is enabled in the bridge).
        case bridge
        /// The call's port is disabled in the bridge and a marker operation is queued
        /// behind it; the stream is fed once the bridge has applied the marker.
        case arming
        /// This shard feeds the stream, every tick: the playback's frames, else an empty
        /// frame as the bridge would give a port nobody talks to.
        case driven
        /// The stream is gone: skipped, and dropped at the next tick.
        case gone
    }

    struct Entry {
        var slot: pjsua_call_id
        /// The stream's port; a reference on it (`pjmedia_port_add_ref`) keeps its memory
        /// alive until `detach`, even if pjsua destroys the stream first.
        var port: UnsafeMutablePointer<pjmedia_port>
        var mode: Mode = .bridge
        /// The call's bridge slot while it is arming or driven.
        var confSlot: pjsua_conf_port_id = -1
        /// Something was connected to the call's port in the bridge: it is never driven
        /// again, so no source the bridge still applies can meet a frame from here.
        var bridgeUsed = false
        var playing = false
        var reader: PromptReader
        var timestamp: UInt64 = 0
        /// The stream replaced one that was driven mid-playback (a re-INVITE): the playback
        /// goes on here once the new stream is in the bridge (`mediaActive`).
        var resumeWhenActive = false
    }

    private let lock = NSLock()
    private var entries: UnsafeMutablePointer<Entry>
    private var count = 0
    private var capacity: Int
    /// Slot → index in `entries`, -1 when the slot has no entry.
    private var index: [Int32]
    /// `index.count`, read without the lock (the array is written under it).
    private let slotLimit: Int

    /// Whether `slot` is one this shard's index has room for; every entry point checks it.
    private func holds(_ slot: pjsua_call_id) -> Bool { slot >= 0 && Int(slot) < slotLimit }
    /// The audio each playing entry reads, by slot: kept alive here, never touched by `tick`.
    private var holding: [pjsua_call_id: [PromptAudio]] = [:]
    /// Bridge slot → call slot, for the entries arming.
    private var arming: [pjsua_conf_port_id: pjsua_call_id] = [:]
    /// Driven playbacks whose stream went while the call goes on (a re-INVITE replaces the
    /// stream: `on_stream_destroyed`, then `on_stream_created2`), by slot: the next stream
    /// takes them up where they were.
    private var carried: [pjsua_call_id: (reader: PromptReader, playing: Bool, audio: [PromptAudio]?)] = [:]
    private let samplesPerFrame: Int
    private let scratch: UnsafeMutablePointer<Int16>
    private var clock: OpaquePointer?

    init(maxSlots: Int, samplesPerFrame: Int) {
        capacity = 64
        entries = .allocate(capacity: capacity)
        index = Array(repeating: -1, count: maxSlots)
        slotLimit = maxSlots
        self.samplesPerFrame = samplesPerFrame
        scratch = .allocate(capacity: samplesPerFrame)
    }

    /// Starts the shard's clock: a pjmedia clock thread calling `tick` every 20 ms. Called
    /// once, on the controller thread, after `pjsua_init`.
    func start(pool: UnsafeMutablePointer<pj_pool_t>, frameMicroseconds: UInt32) throws(PJError) {
        var param = pjmedia_clock_param()
        param.usec_interval = frameMicroseconds
        param.clock_rate = 8000
        var clock: OpaquePointer?
        try pj("pjmedia_clock_create2", pjmedia_clock_create2(pool, &param, 0, Self.tick, Unmanaged.passUnretained(self).toOpaque(), &clock))
        self.clock = clock
        try pj("pjmedia_clock_start", pjmedia_clock_start(clock))
    }

    /// Stops and destroys the clock (it waits for a tick in progress); then drops every entry's
    /// reference. Called once, on the controller thread, before `pjsua_destroy`.
    func stop() {
        if let clock { pjmedia_clock_destroy(clock) }
        clock = nil
        let ports: [UnsafeMutablePointer<pjmedia_port>] = lock.withLock {
            var ports: [UnsafeMutablePointer<pjmedia_port>] = []
            for i in 0..<count where entries[i].mode != .gone {
                ports.append(entries[i].port)
                entries[i].reader.deallocate()
                entries[i].mode = .gone
                index[Int(entries[i].slot)] = -1
            }
            holding = [:]
            return ports
        }
        for port in ports { pjmedia_port_dec_ref(port) }
    }

    // MARK: - pjsua's threads

    /// A call's audio stream exists (`on_stream_created2`): tracked, fed by the bridge until
    /// `arm`. A stream the slot still had (its removal was missed) is dropped first.
    func attach(slot: pjsua_call_id, port: UnsafeMutablePointer<pjmedia_port>) {
        guard holds(slot) else { return }
        detach(slot: slot)
        pjmedia_port_add_ref(port)
        lock.withLock {
            if count == capacity {
                let bigger = UnsafeMutablePointer<Entry>.allocate(capacity: capacity * 2)
                bigger.moveInitialize(from: entries, count: count)
                entries.deallocate()
                entries = bigger
                capacity *= 2
            }
            var entry = Entry(slot: slot, port: port, reader: PromptReader())
            if let before = carried.removeValue(forKey: slot) {
                entry.reader.deallocate()
                entry.reader = before.reader
                entry.playing = before.playing
                entry.resumeWhenActive = true
                holding[slot] = before.audio
            }
            (entries + count).initialize(to: entry)
            index[Int(slot)] = Int32(count)
            count += 1
        }
    }

    /// The call's media is active (`on_call_media_state`, after pjsua added a new stream to
    /// the bridge): a playback carried from the stream before goes on, once this one is
    /// armed; if it cannot be, it is reported finished so the caller's menu goes on.
    func mediaActive(slot: pjsua_call_id) {
        guard holds(slot) else { return }
        let resume: (playing: Bool, token: UInt)? = lock.withLock {
            let i = Int(index[Int(slot)])
            guard i >= 0, entries[i].resumeWhenActive else { return nil }
            entries[i].resumeWhenActive = false
            return (entries[i].playing, entries[i].reader.token)
        }
        guard let resume else { return }
        if arm(slot: slot, confSlot: pjsua_call_get_conf_port(slot)) { return }
        stop(slot: slot)
        if resume.playing { _ = PJSUAAdapter.playerFinished(nil, UnsafeMutableRawPointer(bitPattern: resume.token)) }
    }

    /// The call's stream is going: no frame reaches it from here after this returns. With
    /// `carry` (`on_stream_destroyed`: the call goes on with a new stream), a playback the
    /// shard was feeding is kept for the slot's next stream (`attach`, `mediaActive`).
    func detach(slot: pjsua_call_id, carry: Bool = false) {
        guard holds(slot) else { return }
        let port: UnsafeMutablePointer<pjmedia_port>? = lock.withLock {
            let i = Int(index[Int(slot)])
            guard i >= 0 else { return nil }
            let entry = entries[i]
            if carry && (entry.mode == .arming || entry.mode == .driven || entry.resumeWhenActive) {
                if let old = carried.updateValue((entry.reader, entry.playing, holding[slot]), forKey: slot) { old.reader.deallocate() }
            } else {
                entries[i].reader.deallocate()
            }
            entries[i].mode = .gone
            entries[i].playing = false
            index[Int(slot)] = -1
            holding[slot] = nil
            if entry.confSlot >= 0 { arming[entry.confSlot] = nil }
            return entry.port
        }
        if let port { pjmedia_port_dec_ref(port) }
    }

    /// The call ended (its state callback: pjsua says nothing of a hanging-up call's stream
    /// going): its stream and any playback carried for it are dropped.
    func callEnded(slot: pjsua_call_id) {
        detach(slot: slot)
        guard holds(slot) else { return }
        lock.withLock {
            if let old = carried.removeValue(forKey: slot) { old.reader.deallocate() }
        }
    }

    // MARK: - The controller thread

    /// Takes the call's stream from the bridge, unless something was ever connected to it
    /// there: disables the call's port in the bridge (`pjsua_conf_configure_port`; the bridge
    /// gives a disabled port no frame) and queues a marker behind it, a disconnect of the port
    /// from itself, which the bridge applies, as a failure, at the end of a tick; from then on
    /// no bridge thread can be writing to the stream, and `markerApplied` hands it to the
    /// tick. True when the call is driven or will be. pjsua is called outside the lock (the
    /// bridge's clock thread takes the lock in `markerApplied`).
    func arm(slot: pjsua_call_id, confSlot: pjsua_conf_port_id) -> Bool {
        guard holds(slot), confSlot >= 0 else { return false }
        enum Decision { case no, already, arm }
        let decision: Decision = lock.withLock {
            let i = Int(index[Int(slot)])
            guard i >= 0 else { return .no }
            switch entries[i].mode {
            case .arming, .driven: return entries[i].confSlot == confSlot ? .already : .no
            case .gone: return .no
            case .bridge:
                guard !entries[i].bridgeUsed else { return .no }
                entries[i].mode = .arming
                entries[i].confSlot = confSlot
                arming[confSlot] = slot
                return .arm
            }
        }
        guard decision == .arm else { return decision == .already }
        if pjsua_conf_configure_port(confSlot, PJMEDIA_PORT_DISABLE, PJMEDIA_PORT_NO_CHANGE) == 0 {
            if pjsua_conf_disconnect(confSlot, confSlot) == 0 { return true }
            _ = pjsua_conf_configure_port(confSlot, PJMEDIA_PORT_ENABLE, PJMEDIA_PORT_NO_CHANGE)
        }
        lock.withLock {
            arming[confSlot] = nil
            let i = Int(index[Int(slot)])
            guard i >= 0, entries[i].mode == .arming else { return }
            entries[i].mode = .bridge
            entries[i].confSlot = -1
            entries[i].bridgeUsed = true
        }
        return false
    }

    /// Sets what the call hears from its next frame: the files' audio, from its start.
    /// Only after `arm` returned true.
    func play(slot: pjsua_call_id, audio: [PromptAudio], loop: Bool, token: UInt) {
        guard holds(slot) else { return }
        lock.withLock {
            let i = Int(index[Int(slot)])
            guard i >= 0, entries[i].mode == .arming || entries[i].mode == .driven else { return }
            entries[i].reader.configure(audio, loop: loop, token: token)
            entries[i].playing = true
            holding[slot] = audio
        }
    }

    /// Ends the call's playback: it hears nothing from its next frame.
    func stop(slot: pjsua_call_id) {
        guard holds(slot) else { return }
        lock.withLock {
            let i = Int(index[Int(slot)])
            guard i >= 0 else { return }
            entries[i].playing = false
            holding[slot] = nil
        }
    }

    /// Where a playback the shard stopped feeding had got to: the files, the place in them.
    struct Remainder {
        var audio: [PromptAudio]
        var index: Int
        var position: Int
        var loop: Bool
    }

    /// Something is about to be connected to the call in the bridge: the shard stops feeding
    /// the stream and the call's port is enabled again, so the bridge's next tick feeds it.
    /// The call is not driven again. Returns the playback it was feeding, unfinished, for the
    /// caller to go on with through the bridge.
    func release(slot: pjsua_call_id) -> Remainder? {
        guard holds(slot) else { return nil }
        let released: (confSlot: pjsua_conf_port_id, remainder: Remainder?)? = lock.withLock {
            let i = Int(index[Int(slot)])
            guard i >= 0 else { return nil }
            entries[i].bridgeUsed = true
            guard entries[i].mode == .arming || entries[i].mode == .driven else { return nil }
            let confSlot = entries[i].confSlot
            let reader = entries[i].reader
            let remainder = entries[i].playing && !reader.finished
                ? holding[slot].map { Remainder(audio: $0, index: reader.index, position: reader.position, loop: reader.loop) } : nil
            entries[i].mode = .bridge
            entries[i].playing = false
            entries[i].confSlot = -1
            holding[slot] = nil
            arming[confSlot] = nil
            return (confSlot, remainder)
        }
        guard let released else { return nil }
        _ = pjsua_conf_configure_port(released.confSlot, PJMEDIA_PORT_ENABLE, PJMEDIA_PORT_NO_CHANGE)
        return released.remainder
    }

    // MARK: - The bridge's clock thread

    /// The bridge applied a disconnect whose source is `confSlot` (`on_conf_op_completed`):
    /// for a call arming, its marker, so every tick that could write to it is over.
    func markerApplied(confSlot: pjsua_conf_port_id) {
        lock.withLock {
            guard let slot = arming.removeValue(forKey: confSlot) else { return }
            let i = Int(index[Int(slot)])
            guard i >= 0, entries[i].mode == .arming, entries[i].confSlot == confSlot else { return }
            entries[i].mode = .driven
        }
    }

    // MARK: - The shard's clock thread

    static let tick: @convention(c) (UnsafePointer<pj_timestamp>?, UnsafeMutableRawPointer?) -> Void = { _, data in
        guard let data else { return }
        Unmanaged<PromptDriverShard>.fromOpaque(data).takeUnretainedValue().tick()
    }

    /// One 20 ms frame to every driven stream, 64 streams per hold of the lock. Entries are
    /// compacted first (only here), so indices hold still for the rest of the tick.
    private func tick() {
        let total: Int = lock.withLock {
            compact()
            return count
        }
        var start = 0
        while start < total {
            let end = min(start + 64, total)
            lock.lock()
            // The buffer moves only in `attach`, which takes the lock: read once per batch
            // (a class property read is an exclusivity check each time).
            let batch = entries
            for i in start..<end where batch[i].mode == .driven { feed(batch + i) }
            lock.unlock()
            start = end
        }
    }

    /// Under `lock`, on the clock thread.
    private func feed(_ entry: UnsafeMutablePointer<Entry>) {
        // pjmedia_stream_destroy clears put_frame before it detaches the transport: a call
        // hanging up, whose entry goes at the state callback.
        guard entry.pointee.port.pointee.put_frame != nil else { return }
        var frame = pjmedia_frame()
        frame.timestamp.u64 = entry.pointee.timestamp
        entry.pointee.timestamp &+= UInt64(samplesPerFrame)
        frame.type = PJMEDIA_FRAME_TYPE_NONE
        if entry.pointee.playing {
            let filled = entry.pointee.reader.read(into: scratch, wanted: samplesPerFrame)
            if filled > 0 {
                if filled < samplesPerFrame { (scratch + filled).update(repeating: 0, count: samplesPerFrame - filled) }
                frame.type = PJMEDIA_FRAME_TYPE_AUDIO
                frame.buf = UnsafeMutableRawPointer(scratch)
                frame.size = samplesPerFrame * 2
            } else if entry.pointee.reader.takeEnd() {
                entry.pointee.playing = false
                _ = PJSUAAdapter.playerFinished(nil, UnsafeMutableRawPointer(bitPattern: entry.pointee.reader.token))
            }
        }
        _ = pjmedia_port_put_frame(entry.pointee.port, &frame)
    }

    /// Drops the gone entries, moving the last ones into their places. Under `lock`.
    private func compact() {
        var i = 0
        while i < count {
            if entries[i].mode == .gone {
                count -= 1
                if i != count {
                    // The moved entry may be gone too: then it is looked at again, in place.
                    entries[i] = entries[count]
                    if entries[i].mode != .gone { index[Int(entries[i].slot)] = Int32(i) }
                }
                (entries + count).deinitialize(count: 1)
            } else {
                i += 1
            }
        }
    }
}
