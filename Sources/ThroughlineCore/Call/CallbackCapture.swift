/// A waiting caller asking for a call back (`QueueWait.capture`): the number read back to
/// them, or the digits they are keying for another, and the timer waiting for their key.
struct CallbackCapture: Sendable {
    /// The number to confirm (read back, "press 1 to confirm"); nil while they key one.
    var number: String?
    /// Keys pressed for another number, ended by `#`.
    var typed = ""
    /// The prompt being played (the read-back, "please key the number").
    var playback: PlaybackID?
    var timer: CallTimer?
    /// Waits for a key without one so far; the capture gives up after `CallSession.callbackEntryAttempts`.
    var silences = 0
}
