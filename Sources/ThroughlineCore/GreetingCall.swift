/// The call machine of the foundation release: answer, play one greeting, then hold the call
/// (media up, nothing playing) until the caller hangs up. Keys are recorded, not acted on.
///
/// A value type with no I/O: the controller feeds it events on its thread and performs the
/// commands it returns. The menu engine replaces it when the dialplan's menus arrive.
public struct GreetingCall: Sendable, Equatable {
    public enum State: Sendable, Equatable {
        /// INVITE received, 200 OK sent, waiting for media to come up.
        case answering
        /// The greeting is playing.
        case greeting(PlaybackID)
        /// The greeting has ended; the call stays up until the caller leaves.
        case holding
        /// We asked to hang up (shutdown); waiting for the call to end.
        case hangingUp
        /// The call is over.
        case ended(code: Int)
    }

    public let handle: CallHandle
    public let greeting: String
    public private(set) var state: State
    /// Every key the caller pressed, in order, with how it arrived.
    public private(set) var keys: [ReceivedKey] = []
    private var nextPlayback: UInt32 = 0

    /// Creates the machine for an arriving call and returns the commands that answer it.
    public static func start(_ handle: CallHandle, greeting: String) -> (GreetingCall, [TelephonyCommand]) {
        let call = GreetingCall(handle: handle, greeting: greeting, state: .answering)
        return (call, [.answer(handle, code: 200)])
    }

    private init(handle: CallHandle, greeting: String, state: State) {
        self.handle = handle
        self.greeting = greeting
        self.state = state
    }

    public var isEnded: Bool {
        if case .ended = state { return true }
        return false
    }

    /// Media is up: the greeting starts. A second media-active (re-INVITE) changes nothing.
    public mutating func mediaActive() -> [TelephonyCommand] {
        guard case .answering = state else { return [] }
        let playback = PlaybackID(call: handle, sequence: nextPlayback)
        nextPlayback += 1
        state = .greeting(playback)
        return [.play(handle, prompt: greeting, playback: playback, loop: false)]
    }

    /// A playback ended. Only the current greeting's end moves the call to holding; its
    /// player is released either way.
    public mutating func promptFinished(_ playback: PlaybackID) -> [TelephonyCommand] {
        guard case .greeting(let current) = state, current == playback else { return [.stopPlayback(handle, playback)] }
        state = .holding
        return [.stopPlayback(handle, playback)]
    }

    /// A key arrived. Recorded whatever the state, unless the call is over.
    public mutating func digitReceived(_ digit: DTMFDigit, method: DTMFMethod) -> [TelephonyCommand] {
        guard !isEnded else { return [] }
        keys.append(ReceivedKey(digit, method))
        return []
    }

    /// The controller is shutting down: stop any prompt and hang up.
    public mutating func shutdownRequested() -> [TelephonyCommand] {
        switch state {
        case .ended, .hangingUp:
            return []
        case .greeting(let playback):
            state = .hangingUp
            return [.stopPlayback(handle, playback), .hangup(handle, code: 503)]
        case .answering, .holding:
            state = .hangingUp
            return [.hangup(handle, code: 503)]
        }
    }

    /// The call ended (the caller's BYE or CANCEL, or our hang-up completing).
    public mutating func callEnded(code: Int) -> [TelephonyCommand] {
        let commands: [TelephonyCommand]
        if case .greeting(let playback) = state {
            commands = [.stopPlayback(handle, playback)]
        } else {
            commands = []
        }
        state = .ended(code: code)
        return commands
    }
}
