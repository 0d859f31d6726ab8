import ThroughlineCore

/// What the SIP adapter needs to start.
public struct SIPAdapterConfiguration: Sendable {
    /// UDP listening address; port 0 picks a free one (see `PJSUAAdapter.boundAddress`).
    public var sip: HostPort
    /// Ports for calls' RTP and RTCP.
    public var rtpPorts: ClosedRange<UInt16>
    /// Calls held at once, callers and agents' legs together (`CallCapacity` decides it;
    /// capped by the build's PJSUA_MAX_CALLS).
    public var maxCalls: Int
    /// Threads of pjmedia's conference bridge (`pjsua_media_config.conf_threads`): the
    /// clock thread and `mediaThreads - 1` workers share the calls' frames each 20 ms.
    public var mediaThreads: Int
    /// Whether a caller alone with a prompt is fed by the adapter's own media threads
    /// (`PromptDriver`) rather than through the conference bridge (`--prompt-media`).
    public var directPrompts: Bool
    /// PJSIP's own log detail, 0–6.
    public var pjsipLogLevel: Int
    /// SIP over TLS beside UDP (`--sip-tls`, `--tls-cert`, `--tls-key`); nil for none.
    public var tls: RunOptions.TLSListener?

    public init(sip: HostPort, rtpPorts: ClosedRange<UInt16>, maxCalls: Int, mediaThreads: Int = 1, directPrompts: Bool = true, pjsipLogLevel: Int, tls: RunOptions.TLSListener? = nil) {
        self.sip = sip
        self.directPrompts = directPrompts
        self.mediaThreads = mediaThreads
        self.tls = tls
        self.rtpPorts = rtpPorts
        self.maxCalls = maxCalls
        self.pjsipLogLevel = pjsipLogLevel
    }
}
