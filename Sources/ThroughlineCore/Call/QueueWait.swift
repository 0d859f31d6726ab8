/// A caller waiting in a queue (`CallSession.Stage.queued`): what they hear, the agents'
/// phones ringing for them now, and the timer that ends that offer.
struct QueueWait: Sendable {
    var name: String
    var hold: Hold
    /// Offers ringing now: each leg and its agent.
    var offers: [LegID: String] = [:]
    var ringTimer: CallTimer?
    /// When the ringing offer began (for a ring-out's ring time).
    var offeredAt: Duration = .zero
}
