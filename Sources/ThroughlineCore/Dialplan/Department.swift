/// `department NAME { … }`: who handles what, shown to every agent; the owner of references.
public struct Department: Sendable, Hashable {
    public var name: Located<String>
    public var title: String
    public var handles: [String] = []
    /// Where a caller keying one of this department's references is sent. Default: the
    /// first queue (in file order) whose `department` is this one.
    public var entry: Located<Target>?

    public init(name: Located<String>) {
        self.name = name
        self.title = name.value
    }
}
