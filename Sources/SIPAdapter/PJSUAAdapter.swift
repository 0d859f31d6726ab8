import CPJSIP
import Foundation
import ThroughlineCore

/// The SIP adapter: pjsua with the null sound device and one UDP transport. The only type
/// that calls pjproject; no PJSIP type leaves this module.
///
/// Created, driven (`execute`) and shut down on the controller thread, which is the thread
/// that called `pjsua_create` and so is known to pjlib. pjsua's callbacks (see
/// `PJSUAAdapter+Callbacks.swift`) run on PJSIP's threads and only post events.
public final class PJSUAAdapter: TelephonyPort {
    /// The SIP address actually bound (the port is the real one when 0 was asked for).
    public let boundAddress: HostPort
    /// Where SIP over TLS listens (`--sip-tls`), as bound; nil without it.
    public let tlsAddress: HostPort?
    /// The call limit in force (`SIPAdapterConfiguration.maxCalls`); the INVITE of a call
    /// past it is refused with 503 and Retry-After (`CapacityGate`).
    public let maxCalls: Int
    /// The most calls the pjproject build can hold (`PJSUA_MAX_CALLS`).
    public static let buildCallLimit = Int(PJSUA_MAX_CALLS)

    private let strings: CStringArena
    /// The local account calls arrive on and agent legs leave from.
    private let account: pjsua_acc_id
    /// The local account of the TLS transport (`--sip-tls`), if there is one: calls over TLS
    /// arrive on it.
    private let tlsAccount: pjsua_acc_id?
    /// Agents' legs leave from these: one local account per SRTP mode on the UDP transport, and
    /// on the TLS transport for phones registered over TLS (RFC 3261 section 26.2.2). pjsua
    /// builds an offer from its account's `use_srtp`, so a leg's mode is its account.
    private let legAccounts: [SRTPMode: pjsua_acc_id]
    private let tlsLegAccounts: [SRTPMode: pjsua_acc_id]
    /// Whether the callers' accounts carry an SRTP layer now (the plan's `srtp` is not off;
    /// `SRTPChooser` then sets each caller's use).
    private var srtpLayer = false
    /// Playbacks running now, by their id: each call's own pjsua player, its end-of-file
    /// token, and whether its port reached the call yet (what `SilenceGate` counts).
    private var players: [PlaybackID: (player: pjsua_player_id, token: UInt, connected: Bool)] = [:]
    /// Looped music (hold music, ringback) is one player per file, shared by every call that
    /// hears it, as a music-on-hold class is in other PBXes: a held call costs the conference
    /// bridge its own port only, not a second port and a file reader too (BENCHMARKS.md).
    private var sharedLoops: [String: (player: pjsua_player_id, listeners: Int)] = [:]
    /// Each looped playback: the file it hears and the call port it was connected to.
    private var loopListeners: [PlaybackID: (file: String, callPort: pjsua_conf_port_id)] = [:]
    /// Prompts decoded once per file, and the bridge ports that play them from memory: a
    /// prompt costs a connect, not a file open and a new bridge port (`PromptPort`).
    private let promptCache = PromptCache()
    private let promptPorts: PromptPortPool
    /// Playbacks running from memory, by their id: the port, its end-of-file token, the call's
    /// bridge port it plays into.
    private var promptPlays: [PlaybackID: (port: PromptPort, token: UInt, callPort: pjsua_conf_port_id)] = [:]
    /// Whether a caller alone with a prompt from memory is fed by `PromptDriver` rather than
    /// through the bridge (`--prompt-media`).
    private let directPrompts: Bool
    /// Playbacks `PromptDriver` feeds, by their id: the pjsua slot and end-of-file token; and
    /// each slot's current one, so a second prompt on a call ends the first.
    private var drivenPlays: [PlaybackID: (slot: pjsua_call_id, token: UInt)] = [:]
    private var drivenBySlot: [pjsua_call_id: PlaybackID] = [:]
    private var isShutDown = false
    /// The name every prompt playlist port carries (see `play`); its bytes live in `strings`.
    private let playlistLabel: pj_str_t

    /// Starts pjsua: configuration, UDP transport, a local account to receive calls, the null
    /// sound device as the conference bridge's clock. Call on the thread that will execute
    /// commands. `events` and `log` are called on PJSIP's threads and must not block.
    public static func start(
        _ configuration: SIPAdapterConfiguration,
        events: @escaping @Sendable (TelephonyEvent) -> Void,
        log: @escaping @Sendable (_ level: Int, _ text: String) -> Void
    ) throws -> PJSUAAdapter {
        let strings = CStringArena()
        CallbackBridge.shared.connect(events: events, log: log)
        // pjlib logs from pj_init on, before pjsua_init applies the logging config: route
        // those first lines through the structured log too, at the configured level.
        pj_log_set_log_func(logWriter)
        pj_log_set_level(Int32(configuration.pjsipLogLevel))
        pj_log_set_decor(UInt32(PJ_LOG_HAS_SENDER.rawValue))
        do {
            try pj("pjsua_create", pjsua_create())
            let maxCalls = min(configuration.maxCalls, buildCallLimit)

            var cfg = pjsua_config()
            pjsua_config_default(&cfg)
            cfg.max_calls = UInt32(maxCalls)
            // No User-Agent from pjsua: `ServerName` writes the plan's on requests and responses.
            installCallbacks(&cfg)
            installInfoHandler(&cfg)

            var logCfg = pjsua_logging_config()
            pjsua_logging_config_default(&logCfg)
            logCfg.level = UInt32(configuration.pjsipLogLevel)
            logCfg.console_level = UInt32(configuration.pjsipLogLevel)
            logCfg.msg_logging = configuration.pjsipLogLevel >= 5 ? 1 : 0
            logCfg.decor = UInt32(PJ_LOG_HAS_SENDER.rawValue)
            logCfg.cb = logWriter

            var mediaCfg = pjsua_media_config()
            pjsua_media_config_default(&mediaCfg)
            mediaCfg.clock_rate = 8000          // prompts are 8 kHz; G.711 is what phones offer first
            mediaCfg.snd_clock_rate = 8000
            mediaCfg.channel_count = 1
            mediaCfg.audio_frame_ptime = 20
            mediaCfg.ec_tail_len = 0            // no echo canceller: there is no microphone
            mediaCfg.no_vad = 1                 // send every packet: callers' jitter buffers and NATs want a steady stream
            // The parallel bridge (scripts/pjproject/config_site.h): the clock thread and
            // conf_threads - 1 workers split each 20 ms tick's ports between them.
            mediaCfg.conf_threads = UInt32(configuration.mediaThreads)
            // The bridge's clock (the null sound device) runs for the process's life. pjsua
            // stops it a second after the bridge has no connection, which with prompts fed by
            // PromptDriver is most of the time: queued bridge operations, the driver's markers
            // among them, would then wait for the next connect.
            mediaCfg.snd_auto_close_time = -1

            try pj("pjsua_init", pjsua_init(&cfg, &logCfg, &mediaCfg))
            if configuration.directPrompts {
                // Before pjsua_start: every call's stream finds its shard (PromptDriver).
                try PromptDriver.shared.start(count: configuration.mediaThreads, maxSlots: maxCalls,
                                              samplesPerFrame: Int(mediaCfg.clock_rate * mediaCfg.audio_frame_ptime / 1000),
                                              frameMicroseconds: mediaCfg.audio_frame_ptime * 1000)
            }
            // RFC 3261 section 18.1.1 moves requests over 1300 bytes to TCP; there is no TCP
            // transport here, and agent INVITEs with context headers can exceed that.
            pjsip_cfg().pointee.endpt.disable_tcp_switch = 1
            // Offer what phones use (G.711, G.722, Opus); the L16 variants only bloat the SDP.
            for codec in ["L16/8000/1", "L16/16000/1", "L16/8000/2", "L16/16000/2", "L16/44100/1", "L16/44100/2", "L16/48000/1", "L16/48000/2"] {
                _ = withPJString(codec) { pjsua_codec_set_priority($0, 0) }
            }

            var transportCfg = pjsua_transport_config()
            pjsua_transport_config_default(&transportCfg)
            transportCfg.port = UInt32(configuration.sip.port)
            transportCfg.bound_addr = strings.pjString(configuration.sip.host)
            var transport = pjsua_transport_id()
            let kind = configuration.sip.host.contains(":") ? PJSIP_TRANSPORT_UDP6 : PJSIP_TRANSPORT_UDP
            try pj("pjsua_transport_create", pjsua_transport_create(kind, &transportCfg, &transport))

            try SourceBlocker.shared.install()
            try ServerName.shared.install()
            try SRTPChooser.shared.install()
            try Registrar.shared.install()
            try CapacityGate.shared.install(limit: maxCalls)

            let bound = try boundAddress(of: transport)
            CallbackBridge.shared.setOwnAddress(bound)

            // A local account answers calls addressed to this transport; its RTP settings
            // decide where calls' media sockets bind.
            func addAccount(on transport: pjsua_transport_id, isDefault: Bool, srtp: SRTPMode = .off) throws -> pjsua_acc_id {
                var id = pjsua_acc_id()
                try pj("pjsua_acc_add_local", pjsua_acc_add_local(transport, isDefault ? 1 : 0, &id))
                try configure(id, strings: strings) { config in
                    config.rtp_cfg.port = UInt32(configuration.rtpPorts.lowerBound)
                    config.rtp_cfg.port_range = UInt32(configuration.rtpPorts.upperBound - configuration.rtpPorts.lowerBound)
                    config.rtp_cfg.bound_addr = strings.pjString(configuration.sip.host)
                    // SDES keys travel in the SDP (RFC 4568): over UDP they can be read on the
                    // way, so TLS is the advice (dialplans/README.md), not a refusal.
                    config.use_srtp = SRTPChooser.use(srtp)
                    config.srtp_secure_signaling = 0
                }
                return id
            }
            // Four accounts per transport (callers', and a leg account per SRTP mode): eight with
            // TLS, which is pjsua's PJSUA_MAX_ACC (8) exactly; a third transport needs it raised
            // in scripts/pjproject/config_site.h.
            func legAccounts(on transport: pjsua_transport_id) throws -> [SRTPMode: pjsua_acc_id] {
                try Dictionary(uniqueKeysWithValues: SRTPMode.allCases.map { ($0, try addAccount(on: transport, isDefault: false, srtp: $0)) })
            }
            let account = try addAccount(on: transport, isDefault: true)
            let legs = try legAccounts(on: transport)
            // SIP over TLS (RFC 3261 section 26.2), beside UDP: its own local account, media
            // from the same RTP ports.
            var tlsAccount: pjsua_acc_id?
            var tlsLegs: [SRTPMode: pjsua_acc_id] = [:]
            var tlsBound: HostPort?
            if let tls = configuration.tls {
                for file in [tls.certificate, tls.privateKey] where !FileManager.default.isReadableFile(atPath: file) {
                    throw PJError(function: "--sip-tls", status: -1, message: "cannot read '\(file)'")
                }
                var tlsCfg = pjsua_transport_config()
                pjsua_transport_config_default(&tlsCfg)
                tlsCfg.port = UInt32(tls.address.port)
                tlsCfg.bound_addr = strings.pjString(tls.address.host)
                tlsCfg.tls_setting.cert_file = strings.pjString(tls.certificate)
                tlsCfg.tls_setting.privkey_file = strings.pjString(tls.privateKey)
                // TLS 1.2 and 1.3 only: 1.0 and 1.1 are withdrawn (RFC 8996).
                tlsCfg.tls_setting.proto = UInt32(PJ_SSL_SOCK_PROTO_TLS1_2.rawValue | PJ_SSL_SOCK_PROTO_TLS1_3.rawValue)
                var tlsTransport = pjsua_transport_id()
                let tlsKind = tls.address.host.contains(":") ? PJSIP_TRANSPORT_TLS6 : PJSIP_TRANSPORT_TLS
                try pj("pjsua_transport_create (TLS)", pjsua_transport_create(tlsKind, &tlsCfg, &tlsTransport))
                tlsBound = try boundAddress(of: tlsTransport)
                tlsAccount = try addAccount(on: tlsTransport, isDefault: false)
                tlsLegs = try legAccounts(on: tlsTransport)
            }
            SRTPChooser.shared.setCallerAccounts(udp: account, tls: tlsAccount)

            try pj("pjsua_start", pjsua_start())
            try pj("pjsua_set_null_snd_dev", pjsua_set_null_snd_dev())

            let promptPorts = try PromptPortPool(name: strings.pjString("prompt"), samplesPerFrame: Int(mediaCfg.clock_rate * mediaCfg.audio_frame_ptime / 1000))
            return PJSUAAdapter(boundAddress: bound, tlsAddress: tlsBound, maxCalls: maxCalls, account: account, tlsAccount: tlsAccount,
                                legAccounts: legs, tlsLegAccounts: tlsLegs, strings: strings, promptPorts: promptPorts,
                                directPrompts: configuration.directPrompts)
        } catch {
            CallbackBridge.shared.disconnect()
            PromptDriver.shared.stop()
            pjsua_destroy()
            strings.freeAll()
            throw error
        }
    }

    /// Reads `account`'s configuration, lets `change` edit it, and applies it. Called on the
    /// controller thread.
    private static func configure(_ account: pjsua_acc_id, strings: CStringArena, _ change: (inout pjsua_acc_config) -> Void) throws {
        guard let pool = pjsua_pool_create("throughline-acc", 1024, 1024) else {
            throw PJError(function: "pjsua_pool_create", status: -1, message: "out of memory")
        }
        defer { pj_pool_release(pool) }
        var config = pjsua_acc_config()
        try pj("pjsua_acc_get_config", pjsua_acc_get_config(account, pool, &config))
        change(&config)
        try pj("pjsua_acc_modify", pjsua_acc_modify(account, &config))
    }

    /// Where the transport's socket is bound, as pjlib read it back from the kernel
    /// (`local_addr`, not the published `local_name` nor the address asked for): what the
    /// `sip.listening` line reports. Called once, on the controller thread, at start.
    private static func boundAddress(of transport: pjsua_transport_id) throws -> HostPort {
        try withUnsafeTemporaryAllocation(of: pjsua_transport_info.self, capacity: 1) { buffer in
            let info = buffer.baseAddress!
            try pj("pjsua_transport_get_info", pjsua_transport_get_info(transport, info))
            var text = [CChar](repeating: 0, count: 64)
            let host = text.withUnsafeMutableBufferPointer { chars -> String in
                // flags 0: the numeric host alone, without port or IPv6 brackets.
                pj_sockaddr_print(&info.pointee.local_addr, chars.baseAddress, Int32(chars.count), 0)
                return String(decoding: chars.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
            return HostPort(host: host, port: pj_sockaddr_get_port(&info.pointee.local_addr))
        }
    }

    private init(boundAddress: HostPort, tlsAddress: HostPort?, maxCalls: Int, account: pjsua_acc_id, tlsAccount: pjsua_acc_id?,
                 legAccounts: [SRTPMode: pjsua_acc_id], tlsLegAccounts: [SRTPMode: pjsua_acc_id], strings: CStringArena,
                 promptPorts: PromptPortPool, directPrompts: Bool) {
        self.promptPorts = promptPorts
        self.directPrompts = directPrompts
        self.legAccounts = legAccounts
        self.tlsLegAccounts = tlsLegAccounts
        self.boundAddress = boundAddress
        self.tlsAddress = tlsAddress
        self.account = account
        self.tlsAccount = tlsAccount
        self.maxCalls = maxCalls
        self.strings = strings
        self.playlistLabel = strings.pjString("prompt-playlist")
    }

    /// Called on the controller thread, at start and after each reload.
    public func setRegistrarAccounts(_ accounts: [String: String]) {
        Registrar.shared.setAccounts(accounts)
    }

    /// Called on the controller thread, at start and after each reload.
    public func setSIPPolicy(_ policy: SIPPolicy) {
        SourceBlocker.shared.setRules(policy.authentication, flood: policy.flood)
        ServerName.shared.set(policy.userAgent)
        SRTPChooser.shared.setCallers(policy.srtp)
        SilenceGate.shared.setSendSilence(policy.sendSilence)
        let layer = policy.srtp != .off
        guard layer != srtpLayer else { return }
        for id in [account] + (tlsAccount.map { [$0] } ?? []) {
            do {
                try Self.configure(id, strings: strings) { config in
                    config.use_srtp = layer ? PJMEDIA_SRTP_OPTIONAL : PJMEDIA_SRTP_DISABLED
                }
            } catch {
                CallbackBridge.shared.log(level: 1, "SRTP could not be set on account \(id): \(error)")
            }
        }
        srtpLayer = layer
    }

    /// Called on the controller thread, at start and after each reload.
    public func reserveCallsForAgents(_ agents: Int) {
        CapacityGate.shared.reserve(CallCapacity.reservedForAgents(limit: maxCalls, agents: agents))
    }

    /// Performs one command; called on the controller thread.
    public func execute(_ command: TelephonyCommand) throws {
        guard !isShutDown else { return }
        switch command {
        case .answer(let handle, let code):
            guard let slot = liveSlot(handle) else { return }
            try pj("pjsua_call_answer", pjsua_call_answer(slot, UInt32(code), nil, nil))

        case .hangup(let handle, let code):
            guard let slot = liveSlot(handle) else { return }
            // Not before the caller's ACK (RFC 3261 section 15): HangupAfterACK says why.
            try HangupAfterACK.shared.hangUp(slot: slot, code: UInt32(code))

        case .play(let handle, let prompts, let playback, let loop):
            guard let slot = liveSlot(handle), !prompts.isEmpty else { return }
            try play(prompts, into: slot, playback: playback, loop: loop)

        case .stopPlayback(_, let playback):
            stop(playback)

        case .dial(let handle, let to, let callerID, let headers, let srtp):
            try dial(handle, to: to, callerID: callerID, headers: headers, srtp: srtp)

        case .bridge(let a, let b):
            guard let slotA = liveSlot(a), let slotB = liveSlot(b) else { return }
            let portA = pjsua_call_get_conf_port(slotA), portB = pjsua_call_get_conf_port(slotB)
            guard portA >= 0, portB >= 0 else {
                throw PJError(function: "pjsua_call_get_conf_port", status: -1, message: "a call to bridge has no active media yet")
            }
            // Each now hears the other until the call ends: never silent again, and fed by
            // the bridge from now on.
            releaseFromDriver(slotA, callPort: portA)
            releaseFromDriver(slotB, callPort: portB)
            SilenceGate.shared.connected(slot: slotA)
            SilenceGate.shared.connected(slot: slotB)
            try pj("pjsua_conf_connect", pjsua_conf_connect(portA, portB))
            try pj("pjsua_conf_connect", pjsua_conf_connect(portB, portA))
        }
    }

    /// Ends every call, stops every player and destroys pjsua; called once, on the
    /// controller thread, when the controller stops.
    public func shutdown() {
        guard !isShutDown else { return }
        isShutDown = true
        for playback in Array(players.keys) + Array(loopListeners.keys) + Array(promptPlays.keys) + Array(drivenPlays.keys) { stop(playback) }
        // A call answered a moment ago gets its BYE once its ACK is in, not two BYEs.
        HangupAfterACK.shared.waitUntilPerformed(limit: 1.5)
        pjsua_call_hangup_all()
        CallbackBridge.shared.disconnect()
        PromptDriver.shared.stop()
        promptPorts.releasePool()
        pjsua_destroy()
        promptPorts.deallocatePorts()
        strings.freeAll()
    }

    /// Places an outgoing call from the local account. From presents the caller (RFC 3261
    /// section 8.1.1.3: `"5551234" <sip:5551234@controller>`), the extra headers go in the
    /// INVITE, and the new call carries `handle` as its user data from the first callback on.
    private func dial(_ handle: CallHandle, to: String, callerID: String, headers: [SIPHeader], srtp: SRTPMode) throws {
        let user = callerID.isEmpty || !callerID.unicodeScalars.allSatisfy({ Self.isUserScalar($0) }) ? "anonymous" : callerID
        guard let pool = pjsua_pool_create("throughline-dial", 1024, 1024) else {
            throw PJError(function: "pjsua_pool_create", status: -1, message: "out of memory")
        }
        defer { pj_pool_release(pool) }
        let arena = CStringArena()
        defer { arena.freeAll() }
        // The header list is a C ring whose head points at itself: it needs an address that
        // stays put, so the message data lives on the heap rather than in a Swift local.
        let message = UnsafeMutablePointer<pjsua_msg_data>.allocate(capacity: 1)
        defer { message.deallocate() }
        pjsua_msg_data_init(message)
        message.pointee.local_uri = arena.pjString("\"\(user)\" <sip:\(user)@\(boundAddress)>")
        let list = UnsafeMutableRawPointer(message).advanced(by: MemoryLayout<pjsua_msg_data>.offset(of: \pjsua_msg_data.hdr_list)!)
        for header in headers {
            guard header.isWellFormed else {
                throw PJError(function: "dial", status: -1, message: "refusing malformed header '\(header.name)'")
            }
            var name = arena.pjString(header.name), value = arena.pjString(header.value)
            guard let created = pjsip_generic_string_hdr_create(pool, &name, &value) else {
                throw PJError(function: "pjsip_generic_string_hdr_create", status: -1, message: "out of memory")
            }
            pj_list_push_back(list, created)
        }
        var setting = pjsua_call_setting()
        pjsua_call_setting_default(&setting)
        setting.aud_cnt = 1
        setting.vid_cnt = 0
        setting.txt_cnt = 0  // no real-time text stream: agents' phones get audio only
        var destination = arena.pjString(to)
        var slot = pjsua_call_id()
        CallbackBridge.shared.expectOutgoing(handle)
        // A phone registered over TLS (or a sips: contact) is reached over TLS (RFC 3261
        // section 26.2.2): the TLS account, whose transport that is.
        // (Bytes, not Foundation's `contains`: that bridges to an NSString search, per dial.)
        var lower = to.lowercased()
        let overTLS = lower.hasPrefix("sips:") || lower.withUTF8 { UnsafeRawBufferPointer($0).contains(";transport=tls") }
        let from = (overTLS ? tlsLegAccounts[srtp] : nil) ?? legAccounts[srtp] ?? account
        do {
            try SRTPChooser.shared.dialing {
                try pj("pjsua_call_make_call", pjsua_call_make_call(
                    from, &destination, &setting, UnsafeMutableRawPointer(bitPattern: UInt(handle.rawValue)), message, &slot))
            }
        } catch {
            CallbackBridge.shared.forget(handle)
            throw error
        }
        CallbackBridge.shared.register(slot: slot, as: handle)
    }

    static func isUserScalar(_ s: Unicode.Scalar) -> Bool {
        (s >= "0" && s <= "9") || (s >= "a" && s <= "z") || (s >= "A" && s <= "Z") || "+-_.*#".unicodeScalars.contains(s)
    }

    /// Looped single files: the file's shared player. Otherwise, from memory when every file
    /// is 8 kHz 16-bit mono PCM (`PromptCache`), through a pooled `PromptPort`; else, as
    /// before, one file: a WAV player; several: a WAV playlist. Either way "your reference is"
    /// and its digits play as one gapless playback with one end-of-file.
    private func play(_ files: [String], into slot: pjsua_call_id, playback: PlaybackID, loop: Bool) throws {
        if loop && files.count == 1 { return try playShared(files[0], into: slot, playback: playback) }
        var audio: [PromptAudio] = []
        audio.reserveCapacity(files.count)
        for file in files {
            guard let decoded = promptCache.audio(for: file) else { break }
            audio.append(decoded)
        }
        if audio.count == files.count { return try playFromMemory(audio, into: slot, playback: playback, loop: loop) }
        var player = pjsua_player_id()
        let options = loop ? 0 : UInt32(PJMEDIA_FILE_NO_LOOP.rawValue)
        if files.count == 1 {
            try withPJString(files[0]) { name in
                try pj("pjsua_player_create", pjsua_player_create(name, options, &player))
            }
        } else {
            let arena = CStringArena()
            defer { arena.freeAll() }
            let names = files.map { arena.pjString($0) }  // opened during the call: the call's arena will do
            // The playlist port keeps the label's pointer as its name (pjmedia_port_info_init
            // copies the pj_str_t, not the bytes) and logs it at end of file: it must live as
            // long as the adapter, so it comes from the adapter's arena, made once.
            var label = playlistLabel
            try names.withUnsafeBufferPointer { buffer in
                try pj("pjsua_playlist_create", pjsua_playlist_create(buffer.baseAddress, UInt32(buffer.count), &label, options, &player))
            }
        }
        let token = CallbackBridge.shared.token(for: playback)
        players[playback] = (player, token, false)
        do {
            if !loop {
                var port: UnsafeMutablePointer<pjmedia_port>?
                try pj("pjsua_player_get_port", pjsua_player_get_port(player, &port))
                let userData = UnsafeMutableRawPointer(bitPattern: token)
                if files.count == 1 {
                    try pj("pjmedia_wav_player_set_eof_cb", pjmedia_wav_player_set_eof_cb(port, userData, Self.playerFinished))
                } else {
                    try pj("pjmedia_wav_playlist_set_eof_cb", pjmedia_wav_playlist_set_eof_cb(port, userData, Self.playerFinished))
                }
            }
            let callPort = pjsua_call_get_conf_port(slot)
            guard callPort >= 0 else {
                throw PJError(function: "pjsua_call_get_conf_port", status: -1, message: "the call has no conference port (media not active)")
            }
            releaseFromDriver(slot, callPort: callPort)
            try pj("pjsua_conf_connect", pjsua_conf_connect(pjsua_player_get_conf_port(player), callPort))
            SilenceGate.shared.connected(slot: slot)
            players[playback]!.connected = true
        } catch {
            stop(playback)
            throw error
        }
    }

    /// A caller alone with the prompt: `PromptDriver` feeds the call's stream. Otherwise (the
    /// call has had something connected in the bridge, or `--prompt-media bridge`): configures
    /// a free prompt port with the files' audio and connects it to the call.
    private func playFromMemory(_ audio: [PromptAudio], into slot: pjsua_call_id, playback: PlaybackID, loop: Bool) throws {
        let callPort = pjsua_call_get_conf_port(slot)
        guard callPort >= 0 else {
            throw PJError(function: "pjsua_call_get_conf_port", status: -1, message: "the call has no conference port (media not active)")
        }
        if directPrompts, PromptDriver.shared.arm(slot: slot, confSlot: callPort) {
            if let previous = drivenBySlot[slot] { stop(previous) }
            let token = CallbackBridge.shared.token(for: playback)
            PromptDriver.shared.play(slot: slot, audio: audio, loop: loop, token: token)
            drivenPlays[playback] = (slot, token)
            drivenBySlot[slot] = playback
            SilenceGate.shared.connected(slot: slot)
            return
        }
        releaseFromDriver(slot, callPort: callPort)
        let port = try promptPorts.take()
        let token = CallbackBridge.shared.token(for: playback)
        port.configure(audio, loop: loop, token: token)
        do {
            try pj("pjsua_conf_connect", pjsua_conf_connect(port.slot, callPort))
        } catch {
            CallbackBridge.shared.dropToken(token)
            promptPorts.giveBackUnconnected(port)
            throw error
        }
        promptPlays[playback] = (port, token, callPort)
        SilenceGate.shared.connected(slot: slot)
    }

    /// Gives the call back to the bridge before something is connected to it there
    /// (`PromptDriver.release`). A prompt the driver was feeding goes on from where it was,
    /// through a bridge prompt port, so the caller hears it mixed with the new source as before
    /// and its end is still reported. Called on the controller thread.
    private func releaseFromDriver(_ slot: pjsua_call_id, callPort: pjsua_conf_port_id) {
        guard directPrompts, let remainder = PromptDriver.shared.release(slot: slot),
              let playback = drivenBySlot.removeValue(forKey: slot), let driven = drivenPlays.removeValue(forKey: playback) else { return }
        do {
            let port = try promptPorts.take()
            port.configure(remainder.audio, loop: remainder.loop, token: driven.token, index: remainder.index, position: remainder.position)
            do {
                try pj("pjsua_conf_connect", pjsua_conf_connect(port.slot, callPort))
            } catch {
                promptPorts.giveBackUnconnected(port)
                throw error
            }
            promptPlays[playback] = (port, driven.token, callPort)
        } catch {
            // The prompt cannot go on: its end is reported, so the call's steps go on.
            CallbackBridge.shared.log(level: 2, "prompt \(playback) could not move to the bridge: \(error)")
            SilenceGate.shared.disconnected(slot: slot)
            _ = Self.playerFinished(nil, UnsafeMutableRawPointer(bitPattern: driven.token))
        }
    }

    /// Connects the file's shared looping player (created for its first listener) to the call.
    private func playShared(_ file: String, into slot: pjsua_call_id, playback: PlaybackID) throws {
        let callPort = pjsua_call_get_conf_port(slot)
        guard callPort >= 0 else {
            throw PJError(function: "pjsua_call_get_conf_port", status: -1, message: "the call has no conference port (media not active)")
        }
        if sharedLoops[file] == nil {
            var player = pjsua_player_id()
            try withPJString(file) { name in try pj("pjsua_player_create", pjsua_player_create(name, 0, &player)) }
            sharedLoops[file] = (player, 0)
        }
        let player = sharedLoops[file]!.player
        sharedLoops[file]!.listeners += 1
        loopListeners[playback] = (file, callPort)
        releaseFromDriver(slot, callPort: callPort)
        do {
            try pj("pjsua_conf_connect", pjsua_conf_connect(pjsua_player_get_conf_port(player), callPort))
            SilenceGate.shared.connected(slot: slot)
        } catch {
            stop(playback)
            throw error
        }
    }

    private func stop(_ playback: PlaybackID) {
        if let listener = loopListeners.removeValue(forKey: playback), let shared = sharedLoops[listener.file] {
            // Disconnect only a call still up on the same port: an ended call's port was
            // removed with its connections, and its number may already be another call's.
            if let slot = liveSlot(playback.call), pjsua_call_get_conf_port(slot) == listener.callPort {
                pjsua_conf_disconnect(pjsua_player_get_conf_port(shared.player), listener.callPort)
                SilenceGate.shared.disconnected(slot: slot)
            }
            if shared.listeners <= 1 {
                sharedLoops[listener.file] = nil
                pjsua_player_destroy(shared.player)
            } else {
                sharedLoops[listener.file]!.listeners -= 1
            }
            return
        }
        if let play = drivenPlays.removeValue(forKey: playback) {
            CallbackBridge.shared.dropToken(play.token)
            // The slot is this call's still, and this its playback: else the call ended (its
            // stream left the driver) or a later prompt replaced this one.
            if drivenBySlot[play.slot] == playback {
                drivenBySlot[play.slot] = nil
                if liveSlot(playback.call) == play.slot {
                    PromptDriver.shared.stop(slot: play.slot)
                    SilenceGate.shared.disconnected(slot: play.slot)
                }
            }
            return
        }
        if let play = promptPlays.removeValue(forKey: playback) {
            CallbackBridge.shared.dropToken(play.token)
            // Disconnected from the port it played into even when the call has ended: its
            // removal may not be queued yet, and the port must not serve another call before.
            promptPorts.release(play.port, from: play.callPort)
            if let slot = liveSlot(playback.call), pjsua_call_get_conf_port(slot) == play.callPort {
                SilenceGate.shared.disconnected(slot: slot)
            }
            return
        }
        guard let entry = players.removeValue(forKey: playback) else { return }
        CallbackBridge.shared.dropToken(entry.token)
        pjsua_player_destroy(entry.player)
        if entry.connected, let slot = liveSlot(playback.call) { SilenceGate.shared.disconnected(slot: slot) }
    }

    /// pjsua's slot for a call that is still up; nil once it ended (so late commands are no-ops).
    private func liveSlot(_ handle: CallHandle) -> pjsua_call_id? {
        guard let slot = CallbackBridge.shared.slot(for: handle), callHandle(of: slot) == handle,
              pjsua_call_is_active(slot) != 0 else { return nil }
        return slot
    }
}
