/// What a call's machine tells the queue engine, through the controller (which adds the time
/// and the route's priority).
public enum QueueReport: Sendable, Hashable {
    /// The caller joins this queue (its definition in the plan the call runs on).
    case join(Queue)
    /// The agent's phone answered the offer.
    case answered(agent: String)
    /// The agent's phone did not take the offer (busy, declined, unreachable).
    case failed(agent: String)
    /// The agent's phone rang for `after` (the queue's `ring`) and was not answered.
    case rangOut(agent: String, after: Duration)
    /// The caller is done with the engine: hung up while waiting, or the call with the queue
    /// agent ended or was transferred.
    case released
    /// The caller confirmed `number` for a call back that keeps their place: the switchboard
    /// checks it against the plan and answers `callbackAccepted` or `callbackRefused`.
    case callbackRequested(number: String)
}
