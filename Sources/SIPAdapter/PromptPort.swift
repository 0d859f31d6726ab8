import CPJSIP

/// A conference-bridge port of our own that plays prompts from memory (`PromptAudio`), made
/// once and used by call after call (`PromptPortPool`). Used for a prompt the call hears with
/// something else in the bridge, or for every prompt with `--prompt-media bridge`; a caller
/// alone with a prompt is fed by `PromptDriver` instead.
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
    let port: UnsafeMutablePointer<pjmedia_port>
    /// What `getFrame` reads and advances, reached through the port's `pdata`.
    let state: UnsafeMutablePointer<State>
    /// The bridge slot, set once the port is added (`PromptPortPool`).
    var slot: pjsua_conf_port_id = -1
    /// The audio the port reads now or read last: kept alive until the port is configured
    /// again, since the media thread may read it up to the disconnect.
    private var holding: [PromptAudio] = []

    /// The playback and the frame size, in memory the media thread reads without a retain.
    struct State {
        var reader: PromptReader
        var samplesPerFrame: Int
    }

    /// `name` must outlive the port (pjmedia keeps the pointer, not the bytes).
    init(name: pj_str_t, samplesPerFrame: Int) {
        port = .allocate(capacity: 1)
        port.initialize(to: pjmedia_port())
        state = .allocate(capacity: 1)
        state.initialize(to: State(reader: PromptReader(), samplesPerFrame: samplesPerFrame))
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
        state.pointee.reader.deallocate()
        state.deallocate()
        port.deallocate()
        holding = []
    }

    /// Sets what the port plays next, from its start or from `index`'s file at `position`
    /// (a playback `PromptDriver` began). Controller thread, port not connected.
    func configure(_ audio: [PromptAudio], loop: Bool, token: UInt, index: Int = 0, position: Int = 0) {
        state.pointee.reader.configure(audio, loop: loop, token: token)
        state.pointee.reader.index = index
        state.pointee.reader.position = position
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
        let filled = state.pointee.reader.read(into: out, wanted: wanted)
        if filled == 0 {
            frame.pointee.type = PJMEDIA_FRAME_TYPE_NONE
            frame.pointee.size = 0
            if state.pointee.reader.takeEnd() {
                _ = PJSUAAdapter.playerFinished(port, UnsafeMutableRawPointer(bitPattern: state.pointee.reader.token))
            }
            return 0
        }
        if filled < wanted { (out + filled).update(repeating: 0, count: wanted - filled) }
        frame.pointee.type = PJMEDIA_FRAME_TYPE_AUDIO
        frame.pointee.size = wanted * 2
        return 0  // PJ_SUCCESS
    }
}
