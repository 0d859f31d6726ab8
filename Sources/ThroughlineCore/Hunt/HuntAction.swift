/// What a hunt asks the controller to do.
public enum HuntAction: Sendable, Hashable {
    /// Ring a member: an INVITE to their contact, presenting the caller.
    case dial(LegID, member: String, contact: String)
    /// Stop a leg: CANCEL while it rings, BYE once answered.
    case drop(LegID)
    /// Connect the caller's media and the answered leg's, both ways.
    case bridge(LegID)
    case startTimer(IVRTimer, after: Duration)
    case cancelTimer(IVRTimer)
    /// A note for the call's records (`alice: 486 busy, next`).
    case note(String)
    case finished(HuntOutcome)
}
