/// What each department's unfinished work cost in a period, besides queue events: read from
/// the journeys and hand-offs by the store (`QueueEventBook.departmentActivity`), combined with
/// the queue events by `DepartmentCostBuilder`.
public struct DepartmentActivity: Sendable, Equatable {
    public struct Handoffs: Sendable, Equatable {
        public var received: Int
        public var overdue: Int
        public var open: Int

        public init(received: Int, overdue: Int, open: Int) {
            self.received = received
            self.overdue = overdue
            self.open = open
        }
    }

    /// Repeat calls charged to each department (`none` when no department held the reference).
    public var repeats: [String: Int] = [:]
    /// The agent time those calls took: the talk of queue conversations on calls charged to
    /// each department.
    public var repeatTalk: [String: Duration] = [:]
    /// Hand-offs each department received in the period.
    public var handoffs: [String: Handoffs] = [:]
    /// The reasons agents gave, by the department holding the reference then: reason → count.
    public var reasons: [String: [String: Int]] = [:]

    public init() {}
}
