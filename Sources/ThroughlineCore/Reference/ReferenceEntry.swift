/// The state of a caller keying a reference (`-> reference`): the keys so far, the try, and
/// what is running. Owned by `CallSession`.
public struct ReferenceEntry: Sendable, Equatable {
    public enum Phase: Sendable, Equatable {
        case idle
        /// "Please enter your reference…" is playing; keys stop it.
        case prompting(PlaybackID)
        /// Waiting for keys, ended by `#`.
        case collecting
        /// The keyed reference is being looked up.
        case lookingUp(ReferenceNumber)
        /// "Not valid" or "not found" is playing; then the next try.
        case refusing(PlaybackID)
    }

    public var phase: Phase = .idle
    public var keys = ""
    public var attempt = 0
    public var timer: CallTimer?

    /// Tries before the caller is sent on (goodbye).
    public static let attempts = 3
    /// Time for the first key after the prompt, and between keys.
    public static let firstKeyTimeout: Duration = .seconds(10)
    public static let nextKeyTimeout: Duration = .seconds(5)
    /// At most this many keys are kept (a reference has ten).
    public static let maxKeys = 20

    public init() {}
}
