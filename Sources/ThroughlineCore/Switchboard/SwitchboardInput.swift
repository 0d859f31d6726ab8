/// Everything the switchboard reacts to, one at a time, each with the time it is handled
/// (`Switchboard.handle(_:at:)`). Store reads arrive as inputs too: the reference a call
/// arrives with, the answer to a keyed reference's lookup.
public enum SwitchboardInput: Sendable {
    /// The shell is up: the wallboard gets every agent and queue of the plan.
    case started
    /// From the SIP adapter. A `callArrived` here has no reference (no store configured).
    case telephony(TelephonyEvent)
    /// A call arrived and the store has touched its caller's reference (issued one, found
    /// their open one, or failed): `Switchboard.referenceTouch(for:)` said what to ask.
    case callArrived(IncomingCall, ReferenceTouch)
    /// An agent's INVITE could not be sent (`TelephonyCommand.dial` threw).
    case dialFailed(CallHandle, error: String)
    /// The store's answer to `SwitchboardEffect.lookUpReference`: nil when no such reference,
    /// else the department holding it (nil when none yet).
    case referenceLookedUp(CallHandle, ReferenceNumber, found: LookedUpReference?)
    /// The earliest timer's deadline (`Switchboard.nextDeadline()`) has passed.
    case timersDue
    /// A reload produced a checked plan: new calls take it; calls in progress keep theirs.
    case planLoaded(PlanVersion)
    /// The API, a desk or a feature code sets an agent's status.
    case agentStatus(agent: String, AgentStatus)
    /// At start, the status the store kept for an agent (`AgentStateBook`).
    case agentStatusRestored(agent: String, AgentStatus)
    /// Another node sharing the store set an agent's status (read from the store).
    case agentStatusFromAnotherNode(agent: String, AgentStatus)
    /// Another node sharing the store has the agent on a call (`node`), or nil: no live node
    /// has (read from the store).
    case agentEngagedOnAnotherNode(agent: String, node: String?)
    /// The callers waiting in queues on the other live nodes, every one (read from the
    /// store): one line with this node's callers.
    case waitersOnOtherNodes([ClusterWaiter])
    /// An agent's desk moves the caller of `call` to a department's entry.
    case deskTransfer(call: String, department: String)
    /// An agent named their last call's reason (`wrap-up-reason yes` waits for it).
    case reasonGiven(agent: String)
    /// At start, the call backs the store kept pending (their places and retries), and the
    /// next free id.
    case callbacksRestored([PendingCallback], nextID: Int64)
    /// An admin cancels a pending call back (`DELETE /api/callbacks/ID`).
    case cancelCallback(id: Int64)
    /// SIGINT or SIGTERM: end every call and stop.
    case shutdownRequested(reason: String)
}

/// A keyed reference the store knows.
public struct LookedUpReference: Sendable, Equatable {
    /// The department holding it; nil when none has yet.
    public var department: String?
    /// The agent who last had it (the owner of its hand-off, when one holds it).
    public var lastAgent: String?
    /// Not resolved yet: keying it is a repeat call about an open issue.
    public var isOpen: Bool

    public init(department: String?, lastAgent: String? = nil, isOpen: Bool = false) {
        self.department = department
        self.lastAgent = lastAgent
        self.isOpen = isOpen
    }
}
