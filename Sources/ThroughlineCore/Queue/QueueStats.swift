/// A queue's counts since the controller started: what a supervisor's wallboard shows.
public struct QueueStats: Sendable, Equatable {
    public var answered = 0
    public var abandoned = 0
    public var overflowed = 0
    public var sentOnEmpty = 0
    /// Total wait of answered callers, for the average speed of answer.
    public var answeredWait: Duration = .zero
    /// Total wait of abandoned callers.
    public var abandonedWait: Duration = .zero

    public init() {}
}
