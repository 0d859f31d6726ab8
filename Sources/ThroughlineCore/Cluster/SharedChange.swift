/// What a node changed in the shared store that the other nodes route on, as its notification
/// says (`ReferenceStore.notifyLine`, heard by `StoreListener`): each node then reads only that.
public enum SharedChange: String, Sendable, Hashable, CaseIterable {
    /// The callers waiting in its queues.
    case line
    /// An agent taken or freed by one of its calls, or an agent's status.
    case agents
}
