/// One change to a queue's wallboard figures.
public enum QueueTally: Sendable, Equatable {
    /// A caller started waiting.
    case joined(CallHandle)
    /// A caller stopped waiting, with the queue's verdict (answered, abandoned, …) and wait.
    case left(CallHandle, QueueOutcome)
    /// Agents staffing the queue, and of those available now.
    case staffing(staffed: Int, available: Int)
}
