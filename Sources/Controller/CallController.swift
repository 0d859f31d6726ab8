import Foundation
import ThroughlineCore

/// The controller: owns every call's machine, applies events to them one at a time, runs
/// their timers, and executes the commands they return through the telephony port.
///
/// Confined to one thread, the controller thread: `handle(_:)`, `fireDueTimers()` and
/// `run(queue:)` are called only there, which is why the machines need no locks. Events come
/// in through an `EventQueue` filled by the SIP adapter's callbacks, the signal handlers and
/// the reload coordinator.
public final class CallController {
    struct Call {
        var incoming: IncomingCall
        var plan: LoadedPlan
        var route: Route
        var session: CallSession
        var arrivedAt: UInt64
        var arrivedWall: Date
        /// The call's reference: issued at arrival, or the caller's open one (a repeat), or
        /// the one they keyed. nil only when the store failed.
        var reference: ReferenceNumber?
        /// A repeat caller's last agent, offered the call first when it joins a queue.
        var lastAgent: String?
    }

    let port: TelephonyPort
    let logger: Logger
    let board: StatusBoard
    /// Monotonic nanoseconds; injected so tests drive time.
    let clock: @Sendable () -> UInt64
    /// The queue engine, one for all calls; its time is measured from `startedAt`.
    var router: QueueRouter
    let startedAt: UInt64
    var routerTimers = TimerHeap<RouterTimer>()
    /// Router actions waiting to be performed, after the event that produced them.
    var routerOutbox: [RouterAction] = []
    /// Queue outcomes of calls that had already ended (abandoned), for their records.
    var endedQueueOutcomes: [CallHandle: CallOutcome] = [:]
    /// A call that has just ended, while the queue engine's last word on it is applied.
    var endedCalls: [CallHandle: Call] = [:]
    /// Registrations' expiry, by login.
    var registrationTimers = TimerHeap<String>()
    public private(set) var plan: LoadedPlan
    var calls: [CallHandle: Call] = [:]
    /// Agent legs and transfer carriers: one table, one handle per leg (see `LegTable`).
    var legTable = LegTable()
    /// This controller's own SIP address: a call from it is a referred call (blind transfer).
    public var ownAddress: String?
    /// Transfers agents asked for (REFER), waiting for their referred call.
    private var transfers = PendingTransfers()
    /// Media and teardown commands (play, stop, hang up) of the current input, performed when
    /// it has been handled: an agent's INVITE goes out ahead of them, so the caller's key or
    /// the agent's hang-up reaches the next agent's phone first and the prompts and BYEs
    /// follow within the same input.
    private var waitingCommands: [(TelephonyCommand, [(String, String)])] = []
    /// Journey events of the current input, committed together when it has been handled.
    var waitingJourney: [JourneyEntry] = []
    /// Leg failures found while executing a dial (bad contact): applied after the current event.
    var deferredFailures: [(CallHandle, LegID, String)] = []
    private var timers = TimerHeap<CallTimer>()
    private var shutdownReason: String?
    /// Calls that reached `callEnded`, since start; for the shutdown summary.
    public private(set) var completedCalls = 0
    /// The input being handled and when it was posted: INVITEs sent while handling it are
    /// timed from then (`GET /api/metrics`). nil between inputs and for inputs given to
    /// `handle` without a time (tests).
    private var trigger: (kind: InviteTrigger, since: UInt64)?

    /// References and journeys (the SQLite store); without one, calls carry no reference.
    let references: ReferenceBook?
    /// Screen pops to agents' desks; set by the executable before `run`.
    public var pops: PopHub?
    /// The CRM webhook, when configured.
    public var webhook: Webhook?
    /// `http://HOST:PORT` of the API, for the `Call-Info` header on agent INVITEs.
    public var httpBase: String?
    /// The department directory of one plan version (pops carry it; building it walks every
    /// department's agents, so it is built once per plan, not once per offer).
    var directoryCache: (version: Int, departments: [DirectoryDepartmentBody])?
    /// Calls' inputs produced while another call was being updated (a reference lookup's
    /// answer): applied after the current event.
    var deferredInputs: [(CallHandle, (inout CallSession, Duration) -> [CallSession.Action])] = []

    public init(port: TelephonyPort, logger: Logger, plan: LoadedPlan, board: StatusBoard = StatusBoard(), references: ReferenceBook? = nil,
                clock: @escaping @Sendable () -> UInt64 = { DispatchTime.now().uptimeNanoseconds }) {
        self.references = references
        self.port = port
        self.logger = logger
        self.plan = plan
        self.board = board
        self.clock = clock
        self.startedAt = clock()
        self.router = QueueRouter(plan: plan.plan)
        if self.plan.version == 0 { self.plan.version = 1 }
        board.setPlan(self.plan)
        port.setRegistrarAccounts(Self.registrarAccounts(plan.plan))
        publishAgents()
    }

    /// Calls currently up (arrived and not yet ended).
    public var activeCalls: Int { calls.count }
    /// Agent legs dialled and not yet ended.
    public var activeLegs: Int { legTable.count }
    public var pendingTimers: Int { timers.count + routerTimers.count }
    public var isShuttingDown: Bool { shutdownReason != nil }

    /// Applies one input. Called on the controller thread; `postedAt` (the controller's clock)
    /// is when the input was posted, for the INVITE latency metrics.
    public func handle(_ input: ControllerInput, postedAt: UInt64? = nil) {
        if let postedAt { trigger = (InviteTrigger(input, isAgentLeg: { legTable.entry($0) != nil }), postedAt) }
        defer { trigger = nil }  // declared first, so it runs after settle()
        defer { settle() }
        switch input {
        case .telephony(let event):
            apply(event)
        case .transferToDepartment(let handle, let department, let reply):
            transferFromDesk(handle, department: department, reply: reply)
        case .agentStatus(let agent, let status, let reply):
            guard let actions = router.statusChanged(agent, to: status, at: routerNow) else { return reply(false) }
            logger.log(.info, "agent.status", [("agent", agent), ("status", status.word), ("reason", status.reason ?? ""), ("by", "api")])
            routerOutbox += actions
            settle()  // the board shows the change before the API answers
            reply(true)
        case .planLoaded(var loaded, let installed):
            loaded.version = plan.version + 1
            plan = loaded
            board.setPlan(loaded)
            port.setRegistrarAccounts(Self.registrarAccounts(loaded.plan))
            routerOutbox += router.planChanged(loaded.plan, at: routerNow)
            board.removeAgents(notIn: Set(router.agentNames))
            publishAgents()
            logger.log(.info, "plan.loaded", [("plan", String(loaded.version)), ("plan_hash", loaded.hash),
                                              ("warnings", String(loaded.warnings.count)), ("calls_on_older_plans", String(calls.count))])
            installed(loaded)
        case .shutdownRequested(let reason):
            guard shutdownReason == nil else { return }
            shutdownReason = reason
            logger.log(.info, "shutdown.requested", [("reason", reason), ("active", String(calls.count))])
            for handle in calls.keys.sorted() {
                update(handle) { call, now in call.session.shutdownRequested(at: now) }
            }
            for carrier in legTable.allCarriers { try? port.execute(.hangup(carrier, code: 503)) }
        }
    }

    /// After each input: leg failures found while dialling, and the queue engine's actions,
    /// until neither produces more; then the input's waiting media and teardown commands, and
    /// its journey events.
    private func settle() {
        defer { board.setLegs(legTable.count) }
        defer { runWaitingCommands(); writeJourney() }
        while !deferredFailures.isEmpty || !routerOutbox.isEmpty || !deferredInputs.isEmpty {
            while !deferredFailures.isEmpty {
                let (caller, leg, reason) = deferredFailures.removeFirst()
                update(caller) { call, now in call.session.legEnded(leg, code: 500, reason: reason, at: now) }
            }
            while !deferredInputs.isEmpty {
                let (handle, input) = deferredInputs.removeFirst()
                update(handle) { call, now in input(&call.session, now) }
            }
            drainRouter()
        }
    }

    /// Fires every timer that is due. Called on the controller thread by `run`, or by tests
    /// after moving their clock.
    public func fireDueTimers() {
        if trigger == nil { trigger = (.timer, clock()) }
        defer { trigger = nil }
        for timer in timers.popDue(now: clock()) {
            update(timer.call) { call, now in call.session.timerFired(timer, at: now) }
        }
        for timer in routerTimers.popDue(now: clock()) {
            routerOutbox += router.timerFired(timer, at: routerNow)
        }
        for login in registrationTimers.popDue(now: clock()) {
            registrationEnded(login, why: "expired")
        }
        settle()
    }

    /// Runs the loop on the calling thread until a shutdown has been requested and every call
    /// has ended, or `grace` has passed since the request; then shuts the port down.
    public func run(queue: EventQueue<ControllerInput>, grace: TimeInterval = 5) {
        var giveUpAt: UInt64?
        while true {
            if isShuttingDown && calls.isEmpty && legTable.isEmpty { break }
            let now = clock()
            if let giveUpAt, now >= giveUpAt {
                logger.log(.warning, "shutdown.grace-expired", [("active", String(calls.count))])
                break
            }
            let wake = [timers.nextDeadline(), routerTimers.nextDeadline(), registrationTimers.nextDeadline(), giveUpAt].compactMap { $0 }.min()
            let until = wake.map { Date(timeIntervalSinceNow: Double($0 > now ? $0 - now : 0) / 1e9) }
            if let (input, postedAt) = queue.next(until: until) {
                handle(input, postedAt: postedAt)
            }
            fireDueTimers()
            if isShuttingDown && giveUpAt == nil { giveUpAt = clock() + UInt64(grace * 1e9) }
        }
        port.shutdown()
        logger.log(.info, "shutdown.complete", [("calls_handled", String(completedCalls)), ("active", String(calls.count))])
    }

    // MARK: events

    private func apply(_ event: TelephonyEvent) {
        switch event {
        case .callArrived(let incoming):
            arrived(incoming)
        case .registration(let login, let contact, let expires):
            registered(login, contact: contact, expires: expires)
        case .registrationRefused(let login, let reason):
            logger.log(.warning, "registration.refused", [("login", login), ("reason", reason)])
        case .callProgress(let handle, let code):
            guard let owner = legTable.entry(handle) else { return }
            logger.log(.info, "leg.ringing", callFields(owner.caller) + [("leg", owner.leg.description), ("code", String(code))])
        case .callAnswered(let handle):
            guard let owner = legTable.entry(handle) else { return }
            logger.log(.info, "leg.answered", callFields(owner.caller) + [("leg", owner.leg.description)])
            legAnswered(handle, caller: owner.caller)
            update(owner.caller) { call, now in call.session.legAnswered(owner.leg, at: now) }
        case .mediaActive(let handle) where legTable.entry(handle) != nil:
            let owner = legTable.entry(handle)!
            update(owner.caller) { call, now in call.session.legMediaActive(owner.leg, at: now) }
        case .transferRequested(let handle, let target):
            guard let owner = legTable.entry(handle) else { return }
            logger.log(.info, "transfer.requested", callFields(owner.caller) + [("leg", owner.leg.description), ("target", target)])
            transfers.requested(target: target, caller: owner.caller, leg: owner.leg, at: now)
            update(owner.caller) { call, now in call.session.transferRequested(owner.leg, target: target, at: now) }
        case .callEnded(let handle, _, _) where legTable.isCarrier(handle):
            _ = legTable.removeCarrier(handle)
        case .callEnded(let handle, let code, let reason) where legTable.entry(handle) != nil:
            let owner = legTable.close(handle)!
            legGone(owner, code: code)
            for carrier in legTable.carriers(of: owner.leg) {
                try? port.execute(.hangup(carrier, code: 200))  // the transfer is complete
            }
            logger.log(.info, "leg.ended", callFields(owner.caller) + [("leg", owner.leg.description), ("code", String(code)),
                                            ("reason", reason), ("legs", String(legTable.count))])
            update(owner.caller) { call, now in call.session.legEnded(owner.leg, code: code, reason: reason, at: now) }
        case .mediaActive(let handle):
            update(handle) { call, now in
                logger.log(.info, "call.media-active", Self.fields(call))
                return call.session.mediaActive(at: now)
            }
        case .promptFinished(let handle, let playback):
            update(handle) { call, now in
                logger.log(.debug, "prompt.finished", Self.fields(call) + [("playback", playback.description)])
                return call.session.promptFinished(playback, at: now)
            }
        case .digitReceived(let handle, let digit, let method):
            update(handle) { call, now in
                logger.log(.info, "dtmf.received", Self.fields(call) + [("digit", digit.description), ("method", method.rawValue)])
                return call.session.digitReceived(digit, method: method, at: now)
            }
        case .callEnded(let handle, let code, let reason):
            guard var call = calls.removeValue(forKey: handle) else { return }
            let actions = call.session.callEnded(code: code, at: elapsed(call))
            completedCalls += 1
            board.callEnded(handle)
            perform(actions, for: &call)
            // A caller leaving a queue: the engine's verdict (abandoned, with the wait) is
            // the call's outcome.
            endedCalls[handle] = call
            drainRouter()
            endedCalls[handle] = nil
            let queueOutcome = endedQueueOutcomes.removeValue(forKey: handle)
            let keys = call.session.path.compactMap { step -> String? in
                if case .key(let d) = step.kind { return d.description } else { return nil }
            }.joined()
            let outcome = queueOutcome ?? call.session.outcome
            logger.log(.info, "call.ended", Self.fields(call) + [
                ("code", String(code)), ("reason", reason), ("keys", keys), ("outcome", outcome.description), ("active", String(calls.count)),
            ])
            let record = CallRecord(
                call: handle.description, sipCallID: call.incoming.sipCallID, reference: call.reference?.description,
                from: call.incoming.caller, to: call.incoming.dialled,
                route: call.route.number ?? "default", campaign: call.route.campaign, plan: call.plan.version, planHash: call.plan.hash,
                arrivedAt: call.arrivedWall, endedAt: Date(), code: code, reason: reason, outcome: outcome, keys: keys,
                steps: call.session.path.map { (StatementReader.format($0.at), $0.description) }
                    + (queueOutcome.map { [(StatementReader.format(elapsed(call)), $0.description)] } ?? []))
            board.record(record)
            callFinished(record, call: call)
        }
    }

    /// A call from this controller's own address answering a pending transfer (pjsua places
    /// it for the REFER it accepted): answered when the plan names the target, so pjsua tells
    /// the agent "200 OK" in its NOTIFY; refused with 404 otherwise. It carries no media.
    private func referredCallArrived(_ incoming: IncomingCall) {
        guard let transfer = transfers.claim(target: incoming.dialled, at: now) else {
            logger.log(.warning, "call.refused", [("call", incoming.handle.description), ("code", "404"), ("reason", "referred call with no pending transfer")])
            try? port.execute(.hangup(incoming.handle, code: 404))
            return
        }
        guard let owner = calls[transfer.caller] else {
            try? port.execute(.hangup(incoming.handle, code: 404))
            return
        }
        let plan = owner.plan.plan
        let target: Target? = plan.queue(transfer.target).map { .queue($0.name.value) }
            ?? plan.hunt(transfer.target).map { .hunt($0.name.value) }
            ?? plan.menu(transfer.target).map { .menu($0.name.value) }
        guard let target else {
            logger.log(.info, "transfer.refused", callFields(transfer.caller) + [("target", transfer.target), ("why", "no queue, hunt or menu of that name")])
            try? port.execute(.hangup(incoming.handle, code: 404))
            update(transfer.caller) { call, now in call.session.transferRefused(at: now) }
            return
        }
        legTable.addCarrier(incoming.handle, for: transfer.leg)
        try? port.execute(.answer(incoming.handle, code: 200))
        logger.log(.info, "transfer.accepted", callFields(transfer.caller) + [("target", target.description)])
        update(transfer.caller) { call, now in call.session.transferAccepted(to: target, at: now) }
    }

    private func arrived(_ incoming: IncomingCall) {
        // pjsua places a referred call from the local account (From <sip:HOST>, no user).
        // Such a call is only ever taken for a pending transfer (refused 404 otherwise), so
        // the controller never routes a call to itself.
        if let own = ownAddress, incoming.caller.isEmpty, Self.host(SIPURI.hostPort(of: incoming.remoteURI)) == Self.host(own) {
            referredCallArrived(incoming)
            return
        }
        var fields: [(String, String)] = [("call", incoming.handle.description), ("sip_call_id", incoming.sipCallID),
                                          ("from", incoming.caller), ("to", incoming.dialled), ("remote", incoming.remoteURI)]
        if isShuttingDown {
            logger.log(.info, "call.refused", fields + [("code", "503"), ("reason", "shutting down")])
            try? port.execute(.hangup(incoming.handle, code: 503))
            return
        }
        if let code = FeatureCode(rawValue: incoming.dialled) {
            featureCodeCalled(code, incoming)
            return
        }
        let current = plan
        guard let route = current.plan.route(forDialled: incoming.dialled) else {
            logger.log(.info, "call.refused", fields + [("code", "404"), ("reason", "no route for the dialled number"),
                                                         ("plan", String(current.version))])
            try? port.execute(.hangup(incoming.handle, code: 404))
            return
        }
        // The reference is written before the call goes anywhere: a new one, or the caller's
        // open one (a repeat caller goes straight back to the department that held it).
        let touch = firstTouch(incoming, route: route, plan: current.plan)
        var routed = route
        if let target = touch.target { routed.target = Located(target, at: route.target.location) }
        let (session, actions) = CallSession.start(incoming.handle, plan: current.plan, route: routed, promptsFolder: current.promptsFolder,
                                                   reference: touch.reference?.digits)
        var call = Call(incoming: incoming, plan: current, route: route, session: session, arrivedAt: clock(), arrivedWall: Date(),
                        reference: touch.reference, lastAgent: touch.lastAgent)
        calls[incoming.handle] = call
        fields += [("reference", touch.reference?.description ?? ""), ("repeat", touch.repeatOf ?? "no"),
                   ("route", route.number ?? "default"), ("campaign", route.campaign ?? ""), ("target", routed.target.value.description),
                   ("plan", String(current.version)), ("plan_hash", current.hash), ("active", String(calls.count))]
        logger.log(.info, "call.arrived", fields)
        perform(actions, for: &call)
        if calls[incoming.handle] != nil { calls[incoming.handle] = call }
        publish(call)
    }

    /// The controller's clock as a `Duration`, for the core's time parameters.
    var now: Duration { .nanoseconds(Int64(clock())) }

    func elapsed(_ call: Call) -> Duration { .nanoseconds(Int64(clock() &- call.arrivedAt)) }

    /// Runs `body` on the call's machine, stores it back and performs the actions. Events for
    /// calls that have already ended are dropped.
    func update(_ handle: CallHandle, _ body: (inout Call, Duration) -> [CallSession.Action]) {
        guard var call = calls[handle] else {
            logger.log(.debug, "event.ignored", [("call", handle.description), ("why", "call not active")])
            return
        }
        let actions = body(&call, elapsed(call))
        calls[handle] = call
        perform(actions, for: &call)
        if calls[handle] != nil { calls[handle] = call }
        publish(call)
    }

    private func publish(_ call: Call) {
        guard calls[call.incoming.handle] != nil else { return }
        let state: String = switch call.session.state {
        case .answering: "answering"
        case .keyingReference: "keying a reference"
        case .inMenus: "menu \(call.session.ivr.current?.name.value ?? "")"
        case .ringingAgents(let hunt): "ringing hunt \(hunt)"
        case .connected(let member, _): "connected to \(member)"
        case .transferring(let member, _, let target): "\(member) transferring to \(target)"
        case .queued(let queue): call.session.queueLegs.isEmpty ? "queued in \(queue)" : "queued in \(queue), ringing \(call.session.queueLegs.values.sorted().joined(separator: ", "))"
        case .hangingUp: "hanging-up"
        case .ended: "ended"
        }
        board.callUpdated(call.incoming.handle, .init(call: call.incoming.handle.description, sipCallID: call.incoming.sipCallID,
                                                      reference: call.reference?.description, from: call.incoming.caller, to: call.incoming.dialled, plan: call.plan.version, state: state))
    }

    func perform(_ actions: [CallSession.Action], for call: inout Call) {
        for action in actions {
            switch action {
            case .queue(let report):
                queueReported(report, by: call)
            case .startTimer(let timer, let after):
                let ns = after.components.seconds * 1_000_000_000 + after.components.attoseconds / 1_000_000_000
                timers.schedule(timer, at: clock() + UInt64(max(0, ns)))
            case .cancelTimer(let timer):
                timers.cancel(timer)
            case .step(let step):
                logger.log(.info, "ivr.step", Self.fields(call) + [("at", StatementReader.format(step.at)), ("step", step.description)])
                journal(step, of: call)
            case .outcome(let outcome):
                logger.log(.info, "ivr.outcome", Self.fields(call) + [("outcome", outcome.description)])
            case .huntOutcome(let outcome):
                logger.log(.info, "hunt.outcome", Self.fields(call) + [("outcome", outcome.description)])
                huntEnded(outcome, for: call)
            case .lookupReference(let reference):
                lookUp(reference, for: &call)
            case .dialLeg(let leg, let member, let planContact):
                // A hunt rings only agents who are available and not on a queue call (the
                // queue engine chose its own offers already).
                if call.session.queueLegs[leg] == nil, let why = router.agent(member)?.huntRefusal {
                    logger.log(.info, "leg.skipped", Self.fields(call) + [("leg", leg.description), ("member", member), ("why", why)])
                    deferredFailures.append((call.incoming.handle, leg, why))
                    break
                }
                guard let contact = planContact.isEmpty ? router.agent(member)?.contact : planContact else {
                    logger.log(.info, "leg.failed", Self.fields(call) + [("leg", leg.description), ("member", member), ("error", "not registered")])
                    deferredFailures.append((call.incoming.handle, leg, "not registered"))
                    break
                }
                let handle = legTable.open(caller: call.incoming.handle, leg: leg, member: member, offered: offerPopped(call, member: member))
                var headers = [SIPHeader("X-Throughline-Call-ID", call.incoming.sipCallID), SIPHeader("X-Throughline-Member", member)]
                if let reference = call.reference {
                    headers.append(SIPHeader("X-Throughline-Reference", reference.description))
                    // RFC 3261 §20.9: where the agent's software finds the call's context.
                    if let base = httpBase { headers.append(SIPHeader("Call-Info", "<\(base)/api/references/\(reference)>;purpose=info")) }
                }
                do {
                    // `.dial` goes first (`TelephonyCommand.timing`): ahead of the input's deferred commands.
                    try port.execute(.dial(handle, to: contact, callerID: call.incoming.caller, headers: headers))
                    if let trigger { board.recordInvite(trigger.kind, nanoseconds: clock() &- trigger.since) }
                    logger.log(.info, "leg.dialled", Self.fields(call) + [("leg", leg.description), ("member", member), ("contact", contact)])
                } catch {
                    if let entry = legTable.close(handle) { legGone(entry, code: 500) }  // the desk saw the offer: it ended
                    logger.log(.warning, "leg.failed", Self.fields(call) + [("leg", leg.description), ("member", member), ("error", "\(error)")])
                    deferredFailures.append((call.incoming.handle, leg, "dial failed"))
                }
            case .dropLeg(let leg):
                guard let handle = legTable.handle(of: leg) else { break }
                try? port.execute(.hangup(handle, code: 487))
            case .bridgeLeg(let leg):
                guard let handle = legTable.handle(of: leg) else { break }
                do {
                    try port.execute(.bridge(call.incoming.handle, handle))
                    logger.log(.info, "leg.bridged", Self.fields(call) + [("leg", leg.description)])
                } catch {
                    logger.log(.error, "command.failed", Self.fields(call) + [("command", "bridge"), ("error", "\(error)")])
                }
            case .duplicateKey(let digit, let method):
                logger.log(.info, "dtmf.duplicate", Self.fields(call) + [("digit", digit.description), ("method", method.rawValue),
                                                                        ("why", "the same key by the other method just before")])
            case .telephony(let command):
                // The ordering rule is `TelephonyCommand.timing` (core); this only carries it out.
                switch command.timing {
                case .last:
                    waitingCommands.append((command, Self.fields(call)))
                case .inOrder:
                    runWaitingCommands()  // these must follow what the call was told before
                    execute(command, fields: Self.fields(call))
                case .first:
                    execute(command, fields: Self.fields(call))
                }
            }
        }
    }

    /// Performs the media and teardown commands held back while an input was handled, in
    /// their order. Called on the controller thread at the end of each input (`settle`), and
    /// before any command that must come after them.
    func runWaitingCommands() {
        while !waitingCommands.isEmpty {
            let batch = waitingCommands
            waitingCommands.removeAll()
            for (command, fields) in batch { execute(command, fields: fields) }
        }
    }

    private func execute(_ command: TelephonyCommand, fields: [(String, String)]) {
        do {
            try port.execute(command)
            if case .play(_, let prompts, let playback, let loop) = command {
                let names = prompts.map { URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent }
                logger.log(.info, "prompt.started", fields + [("prompt", names.joined(separator: "+")),
                                                              ("playback", playback.description), ("loop", loop ? "yes" : "no")])
            }
        } catch {
            logger.log(.error, "command.failed", fields + [("command", Self.name(command)), ("error", "\(error)")])
            if case .play(let handle, _, _, _) = command {
                // A call that cannot hear its prompts cannot go on usefully; end it cleanly.
                try? port.execute(.hangup(handle, code: 500))
            }
        }
    }

    /// Nanoseconds from a `Duration` (timers are scheduled on the controller's clock).
    static func nanoseconds(_ d: Duration) -> UInt64 {
        UInt64(max(0, d.components.seconds * 1_000_000_000 + d.components.attoseconds / 1_000_000_000))
    }

    /// The host of `host:port` (`[v6]:port` keeps its brackets).
    static func host(_ hostPort: String) -> String {
        guard let colon = hostPort.lastIndex(of: ":"), !hostPort.hasSuffix("]") else { return hostPort }
        return String(hostPort[..<colon])
    }

    /// A call's identifying fields (with its reference) by handle, even just after it ended.
    func callFields(_ handle: CallHandle) -> [(String, String)] {
        (calls[handle] ?? endedCalls[handle]).map(Self.fields) ?? [("call", handle.description)]
    }

    static func fields(_ call: Call) -> [(String, String)] {
        [("call", call.incoming.handle.description), ("sip_call_id", call.incoming.sipCallID), ("reference", call.reference?.description ?? ""),
         ("plan", String(call.plan.version))]
    }

    private static func name(_ command: TelephonyCommand) -> String {
        switch command {
        case .answer: "answer"
        case .play: "play"
        case .stopPlayback: "stop-playback"
        case .hangup: "hangup"
        case .dial: "dial"
        case .bridge: "bridge"
        }
    }
}
