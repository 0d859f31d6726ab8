/// What the switchboard asks its shell to do, in the order returned (`Switchboard.handle`
/// has already put them in execution order: see `SwitchboardEffect.ordered`). Telephony goes
/// to the SIP adapter; journey entries, holders and records to the reference store; pops to
/// desks and the webhook; the rest to the log and the wallboard.
///
/// The cases whose payload is large are `indirect` (boxed): an effect is moved and copied
/// several times between the switchboard and the shell on the way to an agent's INVITE, and a
/// pop inline made every effect 576 bytes.
public enum SwitchboardEffect: Sendable, Equatable {
    /// Answer, play, stop a playback, hang up, bridge; the context names the call in the
    /// shell's lines about it.
    case telephony(TelephonyCommand, LogContext)
    /// Ring an agent's phone; a failure comes back as `SwitchboardInput.dialFailed`, once the
    /// input's other effects are done (so a desk sees the offer before it sees it end).
    indirect case dial(AgentDial)
    /// One structured log line.
    case log(LogLine)
    /// One event on a reference's journey. The shell keeps them and hands the input's to the
    /// store together when its effects are done, or sooner before it reads a journey.
    indirect case journey(JourneyEntry)
    /// The department and agent now holding a reference.
    case setHolder(ReferenceNumber, department: String?, agent: String?)
    /// Look a keyed reference up and answer with `SwitchboardInput.referenceLookedUp`.
    case lookUpReference(CallHandle, ReferenceNumber)
    /// A caller keyed an open reference other than their call's own: a repeat call, charged
    /// to the department holding it (and its open hand-off). The store writes the `repeat`
    /// event.
    case chargeRepeat(ReferenceNumber, department: String?, sipCallID: String)
    /// The call is being offered to `member` (their desk pops, the webhook hears `offer`),
    /// just after their phone's INVITE left. Only when the switchboard was told pops are wanted.
    indirect case offered(member: String, PopBody)
    /// `member`'s phone answered the call (`answer`); the context only when the webhook
    /// takes it (`Switchboard.wantsContexts`).
    indirect case answeredByAgent(member: String, caller: CallHandle, reference: String?, context: PopBody?)
    /// `member`'s leg ended, or its INVITE could not be sent (`end`, with the SIP code); the
    /// context (only when the webhook takes it) is the call's now, or as it was offered when
    /// the caller's call ended first.
    indirect case legGone(member: String, caller: CallHandle, reference: String?, code: Int, context: PopBody?)
    /// The wallboard's line for a call up, as `GET /api/calls` shows it.
    indirect case callShown(CallHandle, CallBody)
    /// The call ended: off the wallboard, counted as handled.
    case callGone(CallHandle)
    /// The wallboard's line for an agent, as `GET /api/agents` shows it.
    indirect case agentShown(AgentBody)
    /// A reload removed agents: only these remain.
    indirect case agentsRemaining(Set<String>)
    /// A queue's wallboard figures changed.
    case queueTally(String, QueueTally)
    /// A call ended: its record.
    indirect case callFinished(FinishedCall)
    /// An event of a caller's time in a queue for the durable record (written off the call
    /// path, stamped with the wall clock by the shell).
    indirect case record(QueueRecord)
    /// An address was blocked (`active`) or unblocked: for `GET /api/security`.
    indirect case sourceBlock(SourceBlock, active: Bool)
    /// An address's shedding began (`active`) or ended: for `GET /api/security`.
    indirect case floodShedding(FloodShedding, active: Bool)
    /// A call back was made or changed (a retry set, an attempt counted): the store keeps it.
    indirect case callbackSaved(PendingCallback)
    /// A call to the customer of a call back is being placed (for the queue's counts).
    indirect case callbackPlaced(PendingCallback)
    /// A call back is over: the store marks it, the queue's counts change.
    indirect case callbackEnded(PendingCallback, CallbackEnd)
    /// The answer to the input's request (an API or desk call waiting for it).
    case reply(SwitchboardReply)
}

/// Answers to inputs that someone waits for.
public enum SwitchboardReply: Sendable, Equatable {
    /// `agentStatus`: false when the plan has no such agent.
    case agentStatus(changed: Bool)
    /// `deskTransfer`: nil when done, else why not.
    case deskTransfer(refused: String?)
    /// `reasonGiven`: false when the plan has no such agent.
    case reasonGiven(known: Bool)
    /// `cancelCallback`: nil when cancelled, else why not.
    case callbackCancelled(refused: String?)
}
