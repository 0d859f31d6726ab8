/// What the queue engine asks the controller to do.
public enum RouterAction: Sendable, Hashable {
    /// One agent to ring for a caller: who, and where their phone is.
    public struct Offer: Sendable, Hashable {
        public var agent: String
        public var contact: String
        public init(agent: String, contact: String) {
            self.agent = agent
            self.contact = contact
        }
    }

    /// Ring these agents for the caller (one, or every free one for `ring-all`) for `ring`;
    /// the call reports back with `offerAnswered` or `offerFailed` for each.
    case offer(CallHandle, [Offer], ring: Duration)
    /// Tell the caller their place in line (1 is next) and, when it can be trusted, the
    /// expected wait.
    case announce(CallHandle, position: Int, estimatedWait: Duration?)
    /// The caller's time in the queue is over. For `.overflowed` and `.empty` the call goes
    /// on to the target; for `.answered` it is already bridged; for `.abandoned` it is gone.
    case finished(CallHandle, queue: String, QueueOutcome)
    case startTimer(RouterTimer, after: Duration)
    case cancelTimer(RouterTimer)
    /// An agent's status or state changed (for the status board and logs).
    case agentChanged(String)
    /// The agent is left for an older caller waiting on another node (`RemoteCaller.id`), or
    /// (nil) no longer.
    case heldForAnotherNode(agent: String, caller: String?)
}
