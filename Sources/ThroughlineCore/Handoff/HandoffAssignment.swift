/// How a department's new hand-offs find their owner (`assign …` in its block): the plan's
/// words are the raw values.
public enum HandoffAssignment: String, Sendable, Hashable, CaseIterable {
    /// To the department's agent who owns the fewest open hand-offs now (ties: plan order).
    /// The default: work spreads by what is actually outstanding.
    case fewestOpen = "fewest-open"
    /// To the department's agents in turn, in plan order, after the last one assigned.
    case roundRobin = "round-robin"
    /// To no one: a shared inbox, any agent of the department claims.
    case unassigned
}
