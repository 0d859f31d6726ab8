import ThroughlineCore

/// Everything the controller loop reacts to, in the order it happened.
public enum ControllerInput: Sendable {
    /// From the SIP adapter.
    case telephony(TelephonyEvent)
    /// SIGINT or SIGTERM (or a test) asks the controller to end every call and stop.
    case shutdownRequested(reason: String)
    /// A reload produced a checked plan: new calls take it from now on. `installed` is called
    /// on the controller thread with the plan as installed (its version assigned).
    case planLoaded(PlanVersion, installed: @Sendable (PlanVersion) -> Void)
    /// The HTTP API sets an agent's status. `reply` gets false when the plan has no such agent.
    case agentStatus(agent: String, status: AgentStatus, reply: @Sendable (Bool) -> Void)
    /// An agent's desk moves the caller of `call` to a department's entry (their own leg is
    /// hung up). `reply` gets nil when done, or why not.
    case transferToDepartment(call: String, department: String, reply: @Sendable (String?) -> Void)
    /// An agent named their last call's reason (the API wrote it on the reference). `reply`
    /// gets false when the plan has no such agent.
    case reasonGiven(agent: String, reply: @Sendable (Bool) -> Void)
    /// An admin cancels a pending call back. `reply` gets nil when done, or why not.
    case cancelCallback(id: Int64, reply: @Sendable (String?) -> Void)
    /// What the shared store holds of agents' status and registrations, read by
    /// `SharedAgentWatch` starting at `readAt` (the controller's clock): what other nodes set.
    case sharedAgentState(SavedAgentState, readAt: UInt64)
    /// The agents other live nodes have on calls, agent → node (`SharedAgentWatch`).
    case sharedEngagements([String: String])
    /// The callers waiting on the other live nodes (`SharedAgentWatch`), first in line first.
    case sharedWaiters([ClusterWaiter])
    /// `WaiterPublisher` finished a write (`ok` false: it failed): the controller hands over
    /// the callers waiting here if they changed meanwhile (or the set again, after a failure).
    case waitersWritten(ok: Bool)
    /// Pending call backs of nodes no longer live, now this node's to place (`SharedAgentWatch`).
    case callbacksAdopted([PendingCallback])
}
