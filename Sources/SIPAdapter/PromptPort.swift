import CPJSIP

/// A conference-bridge port of our own that plays prompts from memory (`PromptAudio`), made
/// once and used by call after call (`PromptPortPool`).
///
/// pjsua's WAV player costs the controller thread, for every prompt of every call, a file
/// open and header read, a memory pool, and a new bridge port (whose creation zero-fills two
/// arrays of every possible listener, 131 KB with our port limit); the media thread then
/// reads the file in 4 KB pieces. This port costs a connect: its samples were decoded once
/// per file and its bridge slot was made when the pool grew.
///
/// Threads: `configure` runs on the controller thread, only while the bridge has no listener
/// for the port (the pool's rule); `getFrame` runs on a media thread of the bridge, only while
/// it has one. The bridge's operation queue orders the two (a connect is queued after
/// `configure`; the port is configured again only after its disconnect has been applied).
final class PromptPort {
    /// One file's samples, in playing order.
    struct Segment {
        var base: UnsafePointer<Int16>?
        var count: Int
    }

    /// What `getFrame` reads and advances; plain memory, no Swift object, so the media thread
    /// touches no reference count.
    struct State {
        var segments: UnsafeMutablePointer<Segment>
        var capacity: Int
        var segmentCount: Int
        var index: Int
        var position: Int
        var samplesPerFrame: Int
        var loop: Bool
        /// Set once the end was reported, so it is reported once.
        var finished: Bool
        /// The `CallbackBridge` token of the playback, reported at its end.
        var token: UInt
    }

    let port: UnsafeMutablePointer<pjmedia_port>
    let state: UnsafeMutablePointer<State>
    /// The bridge slot, set once the port is added (`PromptPortPool`).
    var slot: pjsua_conf_port_id = -1
    /// The audio the port reads now or read last: kept alive until the port is configured
    /// again, since the media thread may read it up to the disconnect.
    private var holding: [PromptAudio] = []

    /// `name` must outlive the port (pjmedia keeps the pointer, not the bytes).
    init(name: pj_str_t, samplesPerFrame: Int) {
        port = .allocate(capacity: 1)
        port.initialize(to: pjmedia_port())
        state = .allocate(capacity: 1)
        let capacity = 8
        let segments = UnsafeMutablePointer<Segment>.allocate(capacity: capacity)
        state.initialize(to: State(segments: segments, capacity: capacity, segmentCount: 0, index: 0, position: 0,
                                   samplesPerFrame: samplesPerFrame, loop: false, finished: true, token: 0))
        var name = name
        // "TLPP", our four-character port signature in PJMEDIA_SIGNATURE's order (the first
        // character in the lowest byte; the macro does not import into Swift).
        let signature: UInt32 = 0x5050_4C54
        _ = pjmedia_port_info_init(&port.pointee.info, &name, signature, 8000, 1, 16, UInt32(samplesPerFrame))
        port.pointee.info.dir = PJMEDIA_DIR_ENCODING
        port.pointee.port_data.pdata = UnsafeMutableRawPointer(state)
        port.pointee.get_frame = Self.getFrame
    }

    /// Frees the port's memory; call only after the bridge is gone (after `pjsua_destroy`).
    func deallocate() {
        state.pointee.segments.deallocate()
        state.deallocate()
        port.deallocate()
        holding = []
    }

    /// Sets what the port plays next, from its start. Controller thread, port not connected.
    func configure(_ audio: [PromptAudio], loop: Bool, token: UInt) {
        if audio.count > state.pointee.capacity {
            state.pointee.segments.deallocate()
            state.pointee.segments = .allocate(capacity: audio.count)
            state.pointee.capacity = audio.count
        }
        for (i, file) in audio.enumerated() {
            state.pointee.segments[i] = Segment(base: UnsafePointer(file.samples.baseAddress), count: file.samples.count)
        }
        state.pointee.segmentCount = audio.count
        state.pointee.index = 0
        state.pointee.position = 0
        // A loop over nothing would never fill a frame: it plays as an ended prompt instead.
        state.pointee.loop = loop && audio.contains { $0.samples.count > 0 }
        state.pointee.finished = false
        state.pointee.token = token
        holding = audio
    }

    /// pjmedia's `get_frame` for this port: the next 20 ms of the playback, silence-padded at
    /// its end; after it, no frame (`PJMEDIA_FRAME_TYPE_NONE`) and the end reported once through
    /// `PJSUAAdapter.playerFinished`, as a WAV player's end-of-file callback would. Called on a
    /// media thread of the bridge. Never returns `PJ_EEOF`: the bridge would disable the
    /// port's slot for good, and the slot is used again.
    static let getFrame: @convention(c) (UnsafeMutablePointer<pjmedia_port>?, UnsafeMutablePointer<pjmedia_frame>?) -> pj_status_t = { port, frame in
        guard let port, let frame, let raw = port.pointee.port_data.pdata, let buffer = frame.pointee.buf else { return 0 }
        let state = raw.assumingMemoryBound(to: State.self)
        let out = buffer.assumingMemoryBound(to: Int16.self)
        let wanted = min(state.pointee.samplesPerFrame, frame.pointee.size / 2)
        var filled = 0
        while filled < wanted {
            if state.pointee.index >= state.pointee.segmentCount {
                guard state.pointee.loop else { break }
                state.pointee.index = 0
                state.pointee.position = 0
            }
            let segment = state.pointee.segments[state.pointee.index]
            let available = segment.count - state.pointee.position
            guard available > 0, let base = segment.base else {
                state.pointee.index += 1
                state.pointee.position = 0
                continue
            }
            let n = min(available, wanted - filled)
            (out + filled).update(from: base + state.pointee.position, count: n)
            filled += n
            state.pointee.position += n
        }
        if filled == 0 {
            frame.pointee.type = PJMEDIA_FRAME_TYPE_NONE
            frame.pointee.size = 0
            if !state.pointee.finished {
                state.pointee.finished = true
                _ = PJSUAAdapter.playerFinished(port, UnsafeMutableRawPointer(bitPattern: state.pointee.token))
            }
            return 0
        }
        if filled < wanted { (out + filled).update(repeating: 0, count: wanted - filled) }
        frame.pointee.type = PJMEDIA_FRAME_TYPE_AUDIO
        frame.pointee.size = wanted * 2
        return 0  // PJ_SUCCESS
    }
}
