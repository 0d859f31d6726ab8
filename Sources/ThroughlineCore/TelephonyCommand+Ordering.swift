/// The one ordering rule between the commands of one input: what a caller or an agent waits
/// on goes out at once, what only changes what they hear follows.
///
/// - `dial`, `answer` and `bridge` are **immediate**: an agent's INVITE leaves before anything
///   else the same input produced (a caller's key, or an agent coming free, reaches the next
///   agent's phone first), and an answer or a bridge is never held behind a prompt change.
///   Before an immediate command runs, every deferred command produced earlier in the input
///   runs, so a call is never bridged before it was told to stop its music.
/// - `play`, `stopPlayback` and `hangup` are **deferred** to the end of the input, in order.
///   Journey writes of the input are deferred the same way (one store transaction).
extension TelephonyCommand {
    public enum Timing: Sendable, Equatable {
        case immediate
        case deferred
    }

    public var timing: Timing {
        switch self {
        case .dial, .answer, .bridge: .immediate
        case .play, .stopPlayback, .hangup: .deferred
        }
    }
}
