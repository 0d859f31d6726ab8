/// The caller bridged (or about to be) to an agent's leg (`CallSession.Stage.connected`).
struct Connection: Sendable, Equatable {
    var member: String
    var leg: LegID
    /// Reached through a queue: the queue engine hears when the call with them is over (the
    /// agent goes to wrap-up); a hunt's member is nobody's business but the hunt's.
    var viaQueue: Bool
}
