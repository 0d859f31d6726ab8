/// How a call ended up: the last routing verdict it reached, for its record (`outcome`), its
/// `call.ended` log line and `GET /api/records`. Typed, like Asterisk's QUEUESTATUS and
/// DIALSTATUS, but one value for the whole call; `description` is the text records have always
/// carried (`answered by ben`, `queue support: abandoned after 4.2s`).
public enum CallOutcome: Sendable, Hashable, CustomStringConvertible {
    /// Nothing decided yet (the caller left before the menus ended, say).
    case none
    /// The menus' verdict: routed somewhere, hung up by the plan, or the caller left.
    case ivr(IVROutcome)
    /// A hunt group's verdict.
    case hunt(HuntOutcome)
    /// The queue engine's verdict for the caller's time in `queue`.
    case queue(String, QueueOutcome)
    /// The caller left `queue` with a call back that keeps their place (not an abandon).
    case callbackRequested(queue: String)
    /// The agent's phone transferred the caller (REFER) to a plan target.
    case transferred(by: String, to: Target)
    /// The agent's desk sent the caller to a department.
    case transferredToDepartment(by: String, department: String)

    public var description: String {
        switch self {
        case .none: "none"
        case .ivr(let outcome): outcome.description
        case .hunt(let outcome): outcome.description
        case .queue(let queue, let outcome): "queue \(queue): \(outcome)"
        case .callbackRequested(let queue): "queue \(queue): callback requested"
        case .transferred(let member, let target): "transferred by \(member) to \(target)"
        case .transferredToDepartment(let member, let department): "transferred by \(member) to \(department)"
        }
    }
}
