extension TelephonyEvent {
    /// The call an event is about, for events about one call.
    public var callHandle: CallHandle? {
        switch self {
        case .callProgress(let h, _), .callAnswered(let h), .mediaActive(let h), .promptFinished(let h, _), .transferRequested(let h, _),
             .digitReceived(let h, _, _), .callEnded(let h, _, _):
            h
        case .callArrived(let incoming): incoming.handle
        case .registration, .registrationRefused, .callRefused, .sourceBlocked, .sourceUnblocked, .floodShedding, .floodEnded: nil
        }
    }
}
