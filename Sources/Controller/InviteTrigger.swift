import ThroughlineCore

/// What the controller was answering when it sent an agent an INVITE. The time from that
/// input to the INVITE is kept per trigger (`StatusBoard.recordInvite`, `GET /api/metrics`):
/// the controller's own share of "the caller pressed 2, the agent's phone rang".
public enum InviteTrigger: String, CaseIterable, Sendable {
    /// A caller's key (RFC 4733 or SIP INFO), such as the menu option that joins a queue.
    case key
    /// An agent's leg ended (they hung up, or were released): the agent is free again.
    case agentFree = "agent_free"
    /// An agent's status was set from the API or a desk (to available, say).
    case agentStatus = "agent_status"
    /// A call arrived: routed straight to a queue or hunt, or a feature code freeing an agent.
    case callArrival = "call_arrival"
    /// A timer fired (a queue's expansion step, wrap-up's end, a hunt's ring timeout); timed
    /// from when the controller loop took it.
    case timer
    /// Any other input (a prompt ending, a leg failing, a reference lookup's answer).
    case other

    /// Called on the controller thread before `input` is applied; `isAgentLeg` tells an agent's
    /// leg from a caller's call.
    init(_ input: ControllerInput, isAgentLeg: (CallHandle) -> Bool) {
        switch input {
        case .telephony(.digitReceived): self = .key
        case .telephony(.callEnded(let handle, _, _)) where isAgentLeg(handle): self = .agentFree
        case .telephony(.callArrived): self = .callArrival
        case .agentStatus: self = .agentStatus
        default: self = .other
        }
    }
}
