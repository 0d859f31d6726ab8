/// A call back being placed (`Switchboard.placing`): the agent the queue engine offered it
/// to, and how far the two calls have got. Agent-first: the agent's phone rings, then the
/// customer's, then the customer hears "this is your callback, press 1". Customer-first: the
/// customer's phone first, and after their 1 they hear the queue's music while the agent's
/// phone rings. Either way the customer's 1 and the agent's answer end in a bridge.
struct CallbackRun: Sendable {
    enum Stage: Sendable, Equatable {
        /// Agent-first: the agent's phone rings.
        case ringingAgent
        /// The customer's phone rings (the agent waits on the line in agent-first).
        case callingCustomer
        /// The customer answered and hears the prompt; waiting for their 1.
        case askingCustomer
        /// Customer-first: the customer keyed 1 and hears music; the agent's phone rings.
        case holdingCustomer
        case connected
    }

    var pending: PendingCallback
    var mode: QueueCallback.Mode
    var stage: Stage
    var agent: String
    var agentLeg: LegID?
    var agentAnswered = false
    var agentMedia = false
    /// Ringback the agent hears while the customer is called (agent-first).
    var agentPlayback: PlaybackID?
    var customerLeg: LegID?
    var customerMedia = false
    /// The prompt or music playing to the customer.
    var customerPlayback: PlaybackID?
    /// The timer of the current stage (ring or key), by sequence.
    var timer: CallbackTimer?

    var handle: CallHandle { pending.handle }
}
