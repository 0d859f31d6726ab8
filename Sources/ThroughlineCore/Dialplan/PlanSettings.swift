/// The `settings { … }` block: plan-wide defaults.
public struct PlanSettings: Sendable, Hashable {
    /// Folder of prompt WAVs, relative to the dialplan folder.
    public var prompts = Located("../prompts/en", at: SourceLocation(file: "<default>", line: 0, column: 0))
    /// The shipped prompt pack searched after `prompts` for names that folder lacks.
    public var language = Located("en", at: SourceLocation(file: "<default>", line: 0, column: 0))
    /// Hold music for queues and hunts that name none.
    public var music = Located("hold-music", at: SourceLocation(file: "<default>", line: 0, column: 0))
    /// A caller calling again within this time with an open reference is a repeat caller.
    public var repeatCallerWindow: Duration = .seconds(7 * 24 * 3600)
    /// How long a repeat caller is offered first to the agent who last handled them.
    public var lastAgentFirst: Duration = .seconds(30)
    /// How long an agent who let a call ring out is passed over (queues may override).
    public var noAnswerDelay: Duration = .seconds(30)
    /// What one point of route priority is worth in waiting time: a caller of priority 10
    /// with the default 6 s goes before callers who arrived up to a minute earlier.
    public var priorityWeight: Duration = .seconds(6)
    /// Failed registrations (wrong password, unknown login) from one address within
    /// `authFailureWindow` after which that address is ignored for `authBlock`; 0 never blocks.
    public var authFailures = 5
    public var authFailureWindow: Duration = .seconds(60)
    public var authBlock: Duration = .seconds(15 * 60)
    /// New requests (INVITE, REGISTER, OPTIONS, …; not those inside a call) from one address
    /// per `floodWindow` beyond which the rest are dropped until it slows down; 0 sheds nothing.
    public var floodLimit = 100
    public var floodWindow: Duration = .seconds(2)
    /// Addresses never blocked nor shed: a proxy, SBC or carrier trunk in front (every phone's
    /// REGISTER and every caller's INVITE come from it).
    public var trusted: [String] = []
    /// The `User-Agent` of requests and `Server` of responses: no version by default (a scanner
    /// matching versions to known flaws learns nothing); empty sends neither header.
    public var userAgent = "Throughline"
    /// SRTP for callers' media (and agents' legs, unless an agent says otherwise).
    public var srtp = SRTPMode.off
    /// Whether a call that hears nothing (a menu waiting for a key after its greeting) still
    /// gets an RTP packet of silence every 20 ms (`send-silence yes`, the default) or none
    /// until the next prompt (`no`: its RTP timestamps keep advancing, as RFC 3550 section 5.1
    /// allows for silence suppression).
    public var sendSilence = true
    /// `outbound "sip:{number}@host:port"`: where call-backs are placed, `{number}` replaced by
    /// the customer's number. nil: no call is ever placed to a customer.
    public var outbound: Located<String>?
    /// `callback-numbers "_X."`: the numbers a call-back may be placed to (Asterisk-style
    /// patterns); a number matching none is refused when the caller confirms it.
    public var callbackNumbers: [CallbackNumberPattern] = []
    /// When queues' wallboard tiles turn amber and red, unless a queue says otherwise.
    public var warnWhen = TileThresholds()
    public var alarmWhen = TileThresholds()

    public init() {}
}
