/// What an IVR run asks its caller (the controller, or `throughline simulate`) to do.
public enum IVRAction: Sendable, Hashable {
    /// Play prompts (names under the plan's prompt folder) one after another as one playback.
    case play([String], PlaybackID)
    case stopPlayback(PlaybackID)
    case startTimer(IVRTimer, after: Duration)
    case cancelTimer(IVRTimer)
    /// The run is over; nothing more will be asked.
    case finished(IVROutcome)
}
