/// Names one timer the queue engine started. Starting a timer with a name already pending
/// restarts it; a firing that no longer applies (the caller left, the agent moved on) is
/// ignored by the engine.
public enum RouterTimer: Hashable, Sendable, CustomStringConvertible {
    /// The agent's wrap-up time is over.
    case wrapUpEnds(agent: String)
    /// The agent's pass-over after a call they did not answer is over.
    case holdBackEnds(agent: String)
    /// The caller reaches expansion step `step` (1 is the first `expand`).
    case expand(CallHandle, step: Int)
    /// The caller's `max-wait` is up.
    case maxWait(CallHandle)
    /// Time to tell the caller their position again.
    case announce(CallHandle)
    /// A repeat caller's time reserved for their last agent is over.
    case preferenceEnds(CallHandle)

    public var description: String {
        switch self {
        case .wrapUpEnds(let agent): "wrap-up-ends(\(agent))"
        case .holdBackEnds(let agent): "hold-back-ends(\(agent))"
        case .expand(let call, let step): "expand(\(call), step \(step))"
        case .maxWait(let call): "max-wait(\(call))"
        case .announce(let call): "announce(\(call))"
        case .preferenceEnds(let call): "preference-ends(\(call))"
        }
    }
}
