/// How an IVR run ended, checked by the compiler like Asterisk's IVR exit reasons.
public enum IVROutcome: Sendable, Hashable, CustomStringConvertible {
    /// The caller chose, or fell through to, a queue, a hunt group or reference entry.
    case routed(Target)
    /// The plan hung up (a `hangup` target), after the goodbye prompt.
    case hungUp
    /// The caller hung up during the menus.
    case callerLeft

    public var description: String {
        switch self {
        case .routed(let t): "routed \(t)"
        case .hungUp: "hung-up"
        case .callerLeft: "caller-left"
        }
    }
}
