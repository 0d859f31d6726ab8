/// What the controller asks the telephony side to do.
///
/// Returned by the pure call machines and executed by a `TelephonyPort` on the controller
/// thread. Commands for a call that has already ended are ignored by the port.
public enum TelephonyCommand: Sendable, Equatable {
    /// Answer with `code` (200 with SDP).
    case answer(CallHandle, code: Int)
    /// Play WAV files (full paths) into the call one after another, once or looped.
    case play(CallHandle, prompts: [String], playback: PlaybackID, loop: Bool)
    /// Stop a playback early (barge-in, hang-up), or release one that has finished.
    case stopPlayback(CallHandle, PlaybackID)
    /// End the call: a final response before answer, CANCEL for an outgoing call still
    /// ringing, BYE once answered.
    case hangup(CallHandle, code: Int)
    /// Place an outgoing call (an agent leg) to `to`, presenting `callerID` in From, with
    /// `headers` added to the INVITE and its media under `srtp`. `handle` is chosen by the
    /// controller for the new call.
    case dial(CallHandle, to: String, callerID: String, headers: [SIPHeader], srtp: SRTPMode = .off)
    /// Connect two calls' media both ways through the conference bridge.
    case bridge(CallHandle, CallHandle)
}
