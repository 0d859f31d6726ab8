/// What the system is doing with an agent (mod_callcenter's state), whatever their status.
/// Set only by the queue engine.
public enum AgentState: Sendable, Hashable, CustomStringConvertible {
    /// Not on a queue call: offered one as soon as they are available, reachable and not
    /// held back.
    case idle
    /// Their phone is ringing with this queue caller.
    case offered(CallHandle)
    /// Talking with this queue caller.
    case talking(CallHandle)
    /// The call ended; the queue's `wrap-up` time runs before the next offer.
    case wrapUp

    public var description: String {
        switch self {
        case .idle: "idle"
        case .offered(let call): "offered call \(call)"
        case .talking(let call): "talking on call \(call)"
        case .wrapUp: "wrap-up"
        }
    }

    public var word: String {
        switch self {
        case .idle: "idle"
        case .offered: "offered"
        case .talking: "talking"
        case .wrapUp: "wrap-up"
        }
    }
}
