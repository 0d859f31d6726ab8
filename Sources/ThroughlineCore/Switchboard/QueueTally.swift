/// One change to a queue's wallboard figures.
public enum QueueTally: Sendable, Equatable {
    /// A caller started waiting.
    case joined(CallHandle)
    /// A caller stopped waiting, with the queue's verdict (answered, abandoned, …) and wait.
    case left(CallHandle, QueueOutcome)
    /// A caller stopped waiting with a call back keeping their place (not an abandon).
    case calledBack(CallHandle)
    /// The queue's call backs changed.
    case callbacks(CallbackCounts)
    /// Agents staffing the queue, and of those available now.
    case staffing(staffed: Int, available: Int)
}
