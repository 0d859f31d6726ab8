/// What the plan's settings tell the SIP adapter about strangers: when an address that keeps
/// failing authentication is blocked (`auth-failures`, `auth-failure-window`, `auth-block`),
/// when one that sends too much is shed (`flood-limit`, `flood-window`), who is exempt from both
/// (`trusted`), and what it calls itself (`user-agent`). Built from the plan at start and after
/// each reload.
public struct SIPPolicy: Sendable, Hashable {
    public var authentication: SourceGuard.Rules
    public var flood: FloodMeter.Rules
    /// The `User-Agent` of every request and the `Server` of every response; empty sends neither.
    public var userAgent: String
    /// SRTP for callers (the plan's `srtp`; agents' legs carry their own in `.dial`).
    public var srtp: SRTPMode

    public init(authentication: SourceGuard.Rules, flood: FloodMeter.Rules, userAgent: String, srtp: SRTPMode = .off) {
        self.authentication = authentication
        self.flood = flood
        self.userAgent = userAgent
        self.srtp = srtp
    }

    public init(_ plan: Dialplan) {
        self.init(authentication: SourceGuard.Rules(plan.settings), flood: FloodMeter.Rules(plan.settings), userAgent: plan.settings.userAgent,
                  srtp: plan.settings.srtp)
    }
}
