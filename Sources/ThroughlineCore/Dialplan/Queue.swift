/// `queue NAME { … }`: callers wait here for an agent with the right skills.
public struct Queue: Sendable, Hashable {
    public enum Strategy: String, Sendable, Hashable, CaseIterable {
        case longestIdle = "longest-idle"
        case roundRobin = "round-robin"
        case fewestCalls = "fewest-calls"
        case ringAll = "ring-all"
        case random
    }

    /// `expand after 60s require support>=1`: after the wait, the skill bar becomes this.
    public struct Expansion: Sendable, Hashable {
        public var after: Duration
        public var require: [SkillRequirement]
        public var location: SourceLocation
    }

    public var name: Located<String>
    public var department: Located<String>?
    public var require: [SkillRequirement] = []
    public var prefer: [SkillRequirement] = []
    public var strategy: Strategy = .longestIdle
    public var ring: Duration = .seconds(15)
    public var wrapUp: Duration = .seconds(10)
    /// After a call the agent names its reason (what it was about) before they are offered the
    /// next one (`wrap-up-reason yes`); wrap-up lasts until then, however long `wrap-up` is.
    public var wrapUpReason = false
    /// Answered within this is "within service level" (`service-level`).
    public var serviceLevel: Duration = .seconds(20)
    /// A caller who hangs up within this is a short abandon, left out of abandon figures
    /// (`short-abandon`).
    public var shortAbandon: Duration = .seconds(5)
    public var music: Located<String>?
    public var announcePosition: Duration?
    public var expansions: [Expansion] = []
    public var maxWait: Duration?
    public var maxWaitTarget: Located<Target>?
    /// A caller may join when no agent who could take the call is logged in.
    public var joinEmpty = false
    /// Waiting callers leave when the last agent who could take them logs out.
    public var leaveEmpty = false
    /// Where callers go when the queue refuses them or empties (`join-empty no`, `leave-empty yes`).
    public var onEmpty = Located(Target.hangup, at: SourceLocation(file: "<default>", line: 0, column: 0))
    /// Whether the plan wrote `on-empty` (rather than leaving the default, hang up).
    public var namesOnEmpty: Bool { onEmpty.location.line > 0 }
    public var noAnswerDelay: Duration?
    /// This queue's wallboard thresholds, over the settings' ones.
    public var warnWhen = TileThresholds()
    public var alarmWhen = TileThresholds()
    /// `callback …`: call-backs that keep the caller's place.
    public var callback = QueueCallback()

    public init(name: Located<String>) { self.name = name }
}
