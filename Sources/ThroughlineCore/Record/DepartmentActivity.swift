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

    /// References resolved in the period, by the department holding them: how many, how many
    /// on their first contact (one call, no hand-off), and the hand-offs they had in all.
    public struct Resolutions: Sendable, Equatable {
        public var resolved: Int
        public var firstContact: Int
        public var handoffs: Int

        public init(resolved: Int, firstContact: Int, handoffs: Int) {
            self.resolved = resolved
            self.firstContact = firstContact
            self.handoffs = handoffs
        }
    }

    /// Calls offered to each department's queues in the period (ENTERQUEUE): the base of its
    /// repeat-call rate.
    public var offered: [String: Int] = [:]
    public var resolutions: [String: Resolutions] = [:]
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
