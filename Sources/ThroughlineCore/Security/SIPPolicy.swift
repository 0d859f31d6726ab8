/// What the plan's settings tell the SIP adapter about strangers: when an address that keeps
/// failing authentication is blocked (`auth-failures`, `auth-failure-window`, `auth-block`),
/// when one that sends too much is shed (`flood-limit`, `flood-window`), who is exempt from both
/// (`trusted`), what it calls itself (`user-agent`), and what a call hearing nothing is sent
/// (`send-silence`). Built from the plan at start and after each reload.
public struct SIPPolicy: Sendable, Hashable {
    public var authentication: SourceGuard.Rules
    public var flood: FloodMeter.Rules
    /// The `User-Agent` of every request and the `Server` of every response; empty sends neither.
    public var userAgent: String
    /// SRTP for callers (the plan's `srtp`; agents' legs carry their own in `.dial`).
    public var srtp: SRTPMode
    /// RTP silence to a call that hears nothing (the plan's `send-silence`); false pauses the
    /// call's sending until something is played or bridged to it.
    public var sendSilence: Bool

    public init(authentication: SourceGuard.Rules, flood: FloodMeter.Rules, userAgent: String, srtp: SRTPMode = .off, sendSilence: Bool = true) {
        self.authentication = authentication
        self.flood = flood
        self.userAgent = userAgent
        self.srtp = srtp
        self.sendSilence = sendSilence
    }

    public init(_ plan: Dialplan) {
        self.init(authentication: SourceGuard.Rules(plan.settings), flood: FloodMeter.Rules(plan.settings), userAgent: plan.settings.userAgent,
                  srtp: plan.settings.srtp, sendSilence: plan.settings.sendSilence)
    }
}
