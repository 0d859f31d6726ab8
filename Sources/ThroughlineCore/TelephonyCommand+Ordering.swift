/// The one ordering rule between the commands one input produces: what a caller or an agent
/// waits on goes out at once, what only changes what they hear follows.
///
/// - `dial` goes **first**: an agent's INVITE leaves ahead of everything else the input
///   produced (log lines, wallboard and pops included: `SwitchboardEffect.ordered`), so a
///   caller's key, or an agent coming free, reaches the next agent's phone before any other
///   work of the input.
/// - `answer` and `bridge` go **in order**: at once, but after the deferred commands produced
///   before them in the same input (a call is never bridged before it was told to stop its
///   music).
/// - `play`, `stopPlayback` and `hangup` go **last**, at the end of the input, in order.
///   Journey writes of the input are deferred the same way (one store transaction).
extension TelephonyCommand {
    public enum Timing: Sendable, Equatable {
        case first
        case inOrder
        case last
    }

    public var timing: Timing {
        switch self {
        case .dial: .first
        case .answer, .bridge: .inOrder
        case .play, .stopPlayback, .hangup: .last
        }
    }
}
