/// Every call the controller holds, the queue engine, the agent legs and the pending
/// transfers, as one value: the rules of the contact centre with no I/O, clock or thread.
/// One entry point, `handle(_:at:)`, takes an input at a time with the time as a parameter
/// and returns the effects to perform, already in execution order
/// (`SwitchboardEffect.ordered`). Timers are kept here and reported by `nextDeadline()`; the
/// shell sends `.timersDue` when it passes. Shaped like postgres-nio's connection state
/// machine: the shell (`CallController`) owns the loop and performs the actions.
///
/// Each call's own machine is a `CallSession`; the switchboard routes inputs to it, performs
/// what it asks of the others (the `QueueRouter`, the `LegTable`, `PendingTransfers`), and
/// turns the rest into effects.
public struct Switchboard: Sendable {
    /// One call up: the caller's call with its machine, the plan version it arrived on, and
    /// its reference.
    struct Call: Sendable {
        var incoming: IncomingCall
        var plan: PlanVersion
        var route: Route
        /// The route's campaign this call answers (`Dialplan.campaign(for:at:)`), nil for none.
        var campaign: String?
        var session: CallSession
        var arrivedAt: Duration
        /// The call's reference: issued at arrival, or the caller's open one (a repeat), or
        /// the one they keyed. nil only when there is no store or it failed.
        var reference: ReferenceNumber?
        /// A repeat caller's last agent, offered the call first when it first joins a queue.
        var lastAgent: String?
        /// A repeat call: the department it is charged to (`none`: no department held the
        /// reference), for the record's department cost.
        var chargedTo: String?
        /// The caller's place when they last joined a queue (for the record).
        var queuePosition = 1
        /// The queue conversation going on: answered by whom, after what wait, when.
        var queueTalk: (queue: String, agent: String, wait: Duration, since: Duration)?
    }

    /// Work produced while a call's machine was being updated, done after it (so no machine is
    /// entered twice at once), in order, before the input's effects are returned.
    enum FollowUp: Sendable {
        case router(RouterAction)
        case legFailed(CallHandle, LegID, reason: String)
    }

    /// The plan new calls take.
    public internal(set) var plan: PlanVersion
    var calls: [CallHandle: Call] = [:]
    /// A call that has just ended, while the queue engine's last word on it is applied.
    var endedCalls: [CallHandle: Call] = [:]
    /// Queue outcomes of calls that had already ended (abandoned), for their records.
    var endedQueueOutcomes: [CallHandle: CallOutcome] = [:]
    var router: QueueRouter
    /// The queue engine's time is measured from here.
    let startedAt: Duration
    var legTable = LegTable()
    var transfers = PendingTransfers()
    var timers = TimerHeap<CallTimer>()
    var routerTimers = TimerHeap<RouterTimer>()
    /// Registrations' expiry, by login.
    var registrationTimers = TimerHeap<String>()
    /// Call backs pending and being placed, and their timers.
    var callbacks = CallbackBook()
    var callbackTimers = TimerHeap<CallbackTimer>()
    /// The wall clock (Unix milliseconds) when the switchboard started: call backs keep their
    /// places and retries across restarts on it. Set by the shell after `init`.
    public var wallClockAtStart: Int64 = 0
    var followUps: [FollowUp] = []
    var effects: [SwitchboardEffect] = []
    /// The time of the input being handled.
    var now: Duration

    /// This controller's own SIP address: a call from it is a referred call (blind transfer).
    public var ownAddress: String?
    /// `http://HOST:PORT` of the API, for the `Call-Info` header on agent INVITEs.
    public var httpBase: String?
    /// Whether anyone takes pops (desks or a webhook): the offer's context is built only then.
    public var wantsPops = false
    /// Whether the webhook takes the answer and end contexts too (desks need only the call and
    /// reference): built only then, as they are on the way to the next agent's INVITE.
    public var wantsContexts = false
    public private(set) var shutdownReason: String?
    /// Calls that reached their end since start.
    public internal(set) var completedCalls = 0

    /// Called once by the shell, with its clock's time.
    public init(plan: PlanVersion, at now: Duration) {
        self.plan = plan
        if self.plan.version == 0 { self.plan.version = 1 }
        self.now = now
        self.startedAt = now
        self.router = QueueRouter(plan: plan.plan)
    }

    /// Calls up (arrived and not yet ended).
    public var activeCalls: Int { calls.count }
    /// Agent legs dialled and not yet ended.
    public var activeLegs: Int { legTable.count }
    public var pendingTimers: Int { timers.count + routerTimers.count }
    public var isShuttingDown: Bool { shutdownReason != nil }
    /// Shut down and nothing left up: the shell may stop.
    public var isDrained: Bool { isShuttingDown && calls.isEmpty && legTable.isEmpty }
    /// Call backs pending (waiting in their queue, or for a retry), oldest place first.
    public var pendingCallbacks: [PendingCallback] { callbacks.pending.values.sorted { ($0.joinedAt, $0.id) < ($1.joinedAt, $1.id) } }
    /// Whether `handle` is a call this switchboard placed to an agent.
    public func isAgentLeg(_ handle: CallHandle) -> Bool { legTable.entry(handle) != nil }

    /// The earliest timer deadline, on the shell's clock.
    public mutating func nextDeadline() -> Duration? {
        [timers.nextDeadline(), routerTimers.nextDeadline(), registrationTimers.nextDeadline(), callbackTimers.nextDeadline()]
            .compactMap { $0 }.min().map { .nanoseconds(Int64($0)) }
    }

    /// Applies one input at `now` (the shell's clock) and returns what to do, in order.
    /// Called on the controller thread, one input at a time.
    public mutating func handle(_ input: SwitchboardInput, at now: Duration) -> [SwitchboardEffect] {
        self.now = max(now, self.now)
        effects.reserveCapacity(16)
        switch input {
        case .started: publishEveryAgent()
        case .telephony(let event): apply(event)
        case .callArrived(let incoming, let touch): arrived(incoming, touch: touch)
        case .dialFailed(let handle, let error): dialFailed(handle, error: error)
        case .referenceLookedUp(let handle, let reference, let found): referenceLookedUp(handle, reference, found: found)
        case .timersDue: timersDue()
        case .planLoaded(let loaded): planLoaded(loaded)
        case .agentStatus(let agent, let status): setStatus(agent, status)
        case .agentStatusRestored(let agent, let status): setStatus(agent, status, by: "restart")
        case .agentStatusFromAnotherNode(let agent, let status): setStatus(agent, status, by: "another-node")
        case .agentEngagedOnAnotherNode(let agent, let node): engagedElsewhere(agent, node: node)
        case .waitersOnOtherNodes(let waiters): waitersOnOtherNodes(waiters)
        case .deskTransfer(let call, let department): deskTransfer(call, department: department)
        case .reasonGiven(let agent): reasonGiven(agent)
        case .callbacksRestored(let restored, let nextID): callbacksRestored(restored, nextID: nextID)
        case .cancelCallback(let id): cancelCallback(id)
        case .shutdownRequested(let reason): shutdownRequested(reason)
        }
        settleFollowUps()
        // The list leaves with the shell, which frees it after the INVITE it leads has gone:
        // this input's effects are not torn down at the start of the next one.
        var produced: [SwitchboardEffect] = []
        swap(&produced, &effects)
        SwitchboardEffect.order(&produced)
        return produced
    }

    private mutating func timersDue() {
        let due = now.clampedNanoseconds
        for timer in timers.popDue(now: due) {
            update(timer.call) { call, at in call.session.timerFired(timer, at: at) }
        }
        for timer in routerTimers.popDue(now: due) {
            followUps += router.timerFired(timer, at: routerNow).map(FollowUp.router)
        }
        for login in registrationTimers.popDue(now: due) {
            registrationEnded(login, why: "expired")
        }
        for timer in callbackTimers.popDue(now: due) {
            callbackTimerFired(timer)
        }
    }

    private mutating func shutdownRequested(_ reason: String) {
        guard shutdownReason == nil else { return }
        shutdownReason = reason
        log(.info, "shutdown.requested", [("reason", reason), ("active", String(calls.count))])
        for handle in calls.keys.sorted() {
            update(handle) { call, at in call.session.shutdownRequested(at: at) }
        }
        for carrier in legTable.allCarriers { emit(.telephony(.hangup(carrier, code: 503), LogContext())) }
        callbacksShutDown()
    }

    // MARK: helpers

    mutating func emit(_ effect: SwitchboardEffect) { effects.append(effect) }

    mutating func log(_ level: LogLine.Level, _ event: String, _ fields: [(String, String)]) {
        effects.append(.log(LogLine(level, event, fields)))
    }

    /// The queue engine's clock: time since the switchboard started.
    var routerNow: Duration { now - startedAt }

    func elapsed(_ call: Call) -> Duration { now - call.arrivedAt }

    /// Runs `body` on the call's machine, stores it back and performs the actions. Inputs for
    /// calls that have already ended are dropped.
    mutating func update(_ handle: CallHandle, _ body: (inout Call, Duration) -> [CallSession.Action]) {
        guard let arrivedAt = calls[handle]?.arrivedAt else {
            log(.debug, "event.ignored", [("call", handle.description), ("why", "call not active")])
            return
        }
        // The machine changes where it is stored (a copy first would copy every collection
        // it changes); the actions then work on a copy, as they may end the call.
        let actions = body(&calls[handle]!, now - arrivedAt)
        var call = calls[handle]!
        perform(actions, for: &call)
        if calls[handle] != nil { calls[handle] = call }
        publish(call)
    }

    /// A call's identifying fields (with its reference) by handle, even just after it ended.
    func callFields(_ handle: CallHandle) -> [(String, String)] {
        (calls[handle] ?? endedCalls[handle]).map(Self.fields) ?? [("call", handle.description)]
    }

    static func fields(_ call: Call) -> [(String, String)] {
        [("call", call.incoming.handle.description), ("sip_call_id", call.incoming.sipCallID), ("reference", call.reference?.description ?? ""),
         ("plan", String(call.plan.version))]
    }

    /// The host of `host:port` (`[v6]:port` keeps its brackets).
    static func host(_ hostPort: String) -> String {
        guard let colon = hostPort.lastIndex(of: ":"), !hostPort.hasSuffix("]") else { return hostPort }
        return String(hostPort[..<colon])
    }
}
