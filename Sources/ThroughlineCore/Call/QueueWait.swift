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
    /// The queue's `callback key … after` timer, until it fires.
    var callbackOfferTimer: CallTimer?
    /// The caller has heard the offer: it is repeated with each position announcement.
    var callbackOffered = false
    /// The caller is confirming or keying the number to be called back on.
    var capture: CallbackCapture?
}
