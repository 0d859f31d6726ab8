/// `department NAME { … }`: who handles what, shown to every agent; the owner of references.
public struct Department: Sendable, Hashable {
    public var name: Located<String>
    public var title: String
    public var handles: [String] = []
    /// Where a caller keying one of this department's references is sent. Default: the
    /// first queue (in file order) whose `department` is this one.
    public var entry: Located<Target>?
    /// Who owns a new hand-off to this department (`assign …`); nil when the block does not
    /// say, which means `fewest-open`.
    public var assign: Located<HandoffAssignment>?
    /// When a hand-off to this department falls due unless the agent names a time
    /// (`handoff-due …`). Default 2 days; `handoff-due 0s` means never.
    public var handoffDue: Duration? = Department.defaultHandoffDue

    public static let defaultHandoffDue: Duration = .seconds(2 * 86400)

    public init(name: Located<String>) {
        self.name = name
        self.title = name.value
    }
}
