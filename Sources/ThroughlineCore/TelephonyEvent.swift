/// What happened on the telephony side, as the controller loop receives it.
///
/// Produced by the SIP adapter from pjsua callbacks (on PJSIP's worker and media threads),
/// queued, and applied one at a time on the controller thread.
public enum TelephonyEvent: Sendable, Equatable {
    /// An INVITE arrived and pjsua answered `100 Trying`; nothing else has been sent.
    case callArrived(IncomingCall)
    /// An outgoing call got a provisional answer (180 Ringing, 183 Session Progress).
    case callProgress(CallHandle, code: Int)
    /// An outgoing call was answered (200 OK, ACK sent).
    case callAnswered(CallHandle)
    /// The call's media is active: prompts can be played into it.
    case mediaActive(CallHandle)
    /// A prompt played to its end.
    case promptFinished(CallHandle, PlaybackID)
    /// The far end of the call sent a REFER (RFC 3515) asking to transfer the other party
    /// to `target`, the user part of a Refer-To that names this controller. The adapter has
    /// answered 202; pjsua places the referred call (back to this controller) and reports
    /// its progress to the referrer in NOTIFYs with message/sipfrag bodies.
    case transferRequested(CallHandle, target: String)
    /// The caller pressed a key.
    case digitReceived(CallHandle, DTMFDigit, DTMFMethod)
    /// The call is over (BYE, CANCEL, or our own hang-up completing). `code` is the last SIP
    /// status pjsua saw (e.g. 200 after a BYE, 487 after a CANCEL).
    case callEnded(CallHandle, code: Int, reason: String)
    /// An agent's phone registered (`contact`, for `expires` seconds) or removed its
    /// registration (nil), with correct digest credentials for `login`.
    case registration(login: String, contact: String?, expires: Int)
    /// A REGISTER was refused (403): wrong credentials, an unknown user, or credentials for
    /// another user.
    case registrationRefused(login: String, reason: String)
    /// An INVITE from `from` (address:port) was refused before it became a call, with 503
    /// and Retry-After: the controller holds as many calls as it may (`reason` "capacity").
    case callRefused(from: String, sipCallID: String, reason: String)
    /// Too many failed authentications from one address (`SourceGuard`): every request from
    /// it is now dropped unanswered until the block ends.
    case sourceBlocked(SourceBlock)
    /// The block on an address ended; its requests are handled again.
    case sourceUnblocked(SourceBlock)
    /// An address sent more new requests in one sample than the plan's `flood-limit`
    /// (`FloodMeter`): the rest are dropped unanswered while it keeps it up.
    case floodShedding(FloodShedding)
    /// The address sent no more than the limit for a whole sample: shedding ended at
    /// `endedAtUnixMilliseconds` (wall clock); `dropped` of its requests were dropped meanwhile.
    case floodEnded(FloodShedding, dropped: Int, endedAtUnixMilliseconds: Int64)
}
