/// How a hunt ended, like Asterisk's DIALSTATUS, checked by the compiler.
public enum HuntOutcome: Sendable, Hashable, CustomStringConvertible {
    /// A member answered; the caller is bridged to them.
    case answered(by: String, leg: LegID)
    /// Every member failed or rang out: the caller goes to `on-no-answer`.
    case noAnswer(then: Target)
    /// The caller hung up while members rang; every ringing leg was cancelled.
    case callerLeft

    public var description: String {
        switch self {
        case .answered(let member, _): "answered by \(member)"
        case .noAnswer(let target): "no answer, then \(target)"
        case .callerLeft: "caller-left"
        }
    }
}
