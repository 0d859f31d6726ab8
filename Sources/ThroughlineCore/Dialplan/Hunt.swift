/// `hunt NAME { … }`: ring a fixed list of agents in a pattern.
public struct Hunt: Sendable, Hashable {
    public enum Mode: String, Sendable, Hashable, CaseIterable {
        /// Ring every member at once; the first to answer wins, the others get CANCEL.
        case simultaneous
        /// Ring members one after another, `ring` each, in the listed order.
        case sequential
        /// Ring the first member, then add one more every `add-every`, until `ring` is up.
        case progressive
    }

    public var name: Located<String>
    public var mode: Mode = .simultaneous
    /// Simultaneous and progressive: total ring time. Sequential: ring time per member.
    public var ring: Duration = .seconds(20)
    /// Progressive: how often another member is added.
    public var addEvery: Duration = .seconds(5)
    public var members: [Located<String>] = []
    public var onNoAnswer = Located(Target.hangup, at: SourceLocation(file: "<default>", line: 0, column: 0))
    /// Music while members ring; nil means the caller hears ringback.
    public var music: Located<String>?
    public var location: SourceLocation { name.location }

    public init(name: Located<String>) { self.name = name }
}
