import ThroughlineCore

/// Everything the controller loop reacts to, in the order it happened.
public enum ControllerInput: Sendable, Equatable {
    /// From the SIP adapter.
    case telephony(TelephonyEvent)
    /// SIGINT or SIGTERM (or a test) asks the controller to end every call and stop.
    case shutdownRequested(reason: String)
}
