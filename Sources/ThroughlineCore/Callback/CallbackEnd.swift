/// How a call back ended, for its record in the store, its log line and the queue's counts.
public enum CallbackEnd: String, Sendable, Equatable, Codable {
    /// The customer keyed 1 and was bridged to the agent.
    case connected
    /// `callback attempts` calls went unanswered, busy or without the key.
    case gaveUp = "gave-up"
    /// An admin cancelled it (`DELETE /api/callbacks/ID`).
    case cancelled
    /// The customer called in and reached an agent: nothing is owed any more.
    case calledIn = "called-in"
    /// The plan in force no longer has its queue, or no longer allows its number.
    case dropped
}
