/// One queue's live figures, in `GET /api/queues`. Averages are `null` until there is one.
public struct QueueBody: Codable, Sendable, Equatable {
    public var queue: String
    public var waiting: Int
    public var longestWaitSeconds: Double
    public var staffed: Int
    public var available: Int
    public var answered: Int
    public var abandoned: Int
    public var overflowed: Int
    public var sentOnEmpty: Int
    @Nullable public var averageAnswerSeconds: Double?
    @Nullable public var averageAbandonSeconds: Double?
    /// Callers who left with a call back keeping their place (not abandons).
    public var calledBack = 0
    /// Call backs pending now; since start placed (calls to customers), connected, given up.
    public var callbacks = CallbackCounts()

    public init(queue: String, waiting: Int, longestWaitSeconds: Double, staffed: Int, available: Int, answered: Int, abandoned: Int,
                overflowed: Int, sentOnEmpty: Int, averageAnswerSeconds: Double?, averageAbandonSeconds: Double?) {
        self.queue = queue
        self.waiting = waiting
        self.longestWaitSeconds = longestWaitSeconds
        self.staffed = staffed
        self.available = available
        self.answered = answered
        self.abandoned = abandoned
        self.overflowed = overflowed
        self.sentOnEmpty = sentOnEmpty
        self.averageAnswerSeconds = averageAnswerSeconds
        self.averageAbandonSeconds = averageAbandonSeconds
    }

    enum CodingKeys: String, CodingKey {
        case queue, waiting, longestWaitSeconds = "longest_wait_s", staffed, available, answered, abandoned, overflowed
        case sentOnEmpty = "sent_on_empty", averageAnswerSeconds = "average_answer_s", averageAbandonSeconds = "average_abandon_s"
        case calledBack = "called_back", callbacks
    }
}
