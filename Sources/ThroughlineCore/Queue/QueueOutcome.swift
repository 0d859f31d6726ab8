/// How a caller's time in a queue ended, like Asterisk's QUEUESTATUS but checked by the
/// compiler. `wait` is the time from joining to the outcome.
public enum QueueOutcome: Sendable, Hashable, CustomStringConvertible {
    /// An agent's phone answered; the caller is bridged to it.
    case answered(by: String, wait: Duration)
    /// The caller hung up while waiting (or while an agent's phone rang).
    case abandoned(wait: Duration)
    /// `max-wait` passed: the caller goes on to the target.
    case overflowed(to: Target, wait: Duration)
    /// `join-empty no` with nobody logged in who could take the call, or `leave-empty yes`
    /// when the last such agent logged out: the caller goes to `on-empty`.
    case empty(to: Target, wait: Duration)

    public var wait: Duration {
        switch self {
        case .answered(_, let wait), .abandoned(let wait), .overflowed(_, let wait), .empty(_, let wait): wait
        }
    }

    public var description: String {
        let waited = "after \(Self.seconds(wait))"
        return switch self {
        case .answered(let agent, _): "answered by \(agent) \(waited)"
        case .abandoned: "abandoned \(waited)"
        case .overflowed(let target, _): "overflowed to \(target) \(waited)"
        case .empty(let target, _): "no agents, sent to \(target) \(waited)"
        }
    }

    /// A wait as seconds with one decimal: `12.3s`.
    public static func seconds(_ d: Duration) -> String {
        let tenths = (d.components.seconds * 1_000 + d.components.attoseconds / 1_000_000_000_000_000 + 50) / 100
        return "\(tenths / 10).\(tenths % 10)s"
    }
}
