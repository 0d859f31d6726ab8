/// Call backs: a waiting caller's place kept without them holding. The caller confirms a
/// number (`CallSession+Callback.swift`); here it is checked against the plan, the caller's
/// entry in the queue engine becomes the call back's (same join time, same priority, so it
/// is routed among the callers by that and never ahead of those who came first), and the
/// store keeps it. When the engine offers it to an agent it is placed (`CallbackRun`): only
/// to the plan's `outbound` URI, only to a number its `callback-numbers` allow.
extension Switchboard {
    /// How long the customer's phone may ring.
    public static let customerRing: Duration = .seconds(30)
    /// How long the customer has, once answered, to key 1.
    public static let customerKeyWait: Duration = .seconds(20)

    /// The wall clock now, in Unix milliseconds (`wallClockAtStart` plus the time since).
    var wallNow: Int64 { wallClockAtStart + Int64((now - startedAt).clampedNanoseconds / 1_000_000) }

    /// A wall-clock time on the queue engine's clock.
    func routerTime(ofWall milliseconds: Int64) -> Duration { routerNow - .milliseconds(wallNow - milliseconds) }

    // MARK: the caller asks

    /// The caller confirmed `number` (inside `perform`, for `call`): accepted, their place in
    /// the queue is the call back's and they hear so; refused, they are told and may key another.
    mutating func callbackRequested(_ number: String, by call: inout Call) {
        let handle = call.incoming.handle
        let settings = call.plan.plan.settings
        guard let queueName = router.queueOf(handle), let definition = call.plan.plan.queue(queueName) ?? plan.plan.queue(queueName) else {
            return log(.warning, "callback.refused", Self.fields(call) + [("number", number), ("why", "the caller is not waiting in a queue")])
        }
        guard let outbound = settings.outbound?.value, let pattern = settings.callbackNumbers.first(where: { $0.matches(number) }) else {
            let why = settings.outbound == nil ? "the plan has no outbound" : "no callback-numbers pattern allows it"
            log(.warning, "callback.refused", Self.fields(call) + [("queue", queueName), ("number", number), ("why", why)])
            journey(call, .callback, "callback to \(number) refused: \(why)")
            perform(call.session.callbackRefused(at: elapsed(call)), for: &call)
            return
        }
        guard let (joined, released) = router.withdraw(handle, at: routerNow) else { return }
        followUps += released.map(FollowUp.router)
        let joinedWall = wallNow - Int64((routerNow - joined).clampedNanoseconds / 1_000_000)
        var pending: PendingCallback
        if let id = callbacks.pendingID(number: number, queue: queueName), var existing = callbacks.pending[id] {
            // One call back per number and queue: the earlier place stands.
            existing.joinedAt = min(existing.joinedAt, joinedWall)
            pending = existing
            log(.info, "callback.duplicate", Self.fields(call) + [("callback", String(id)), ("queue", queueName), ("number", number)])
            if callbacks.placing[id] == nil, callbacks.pending[id]?.retryAt == nil {
                // Re-filed at the earlier of the two places.
                if let (_, actions) = router.withdraw(existing.handle, at: routerNow) { followUps += actions.map(FollowUp.router) }
                callbacks.pending[id] = pending
                rejoin(pending, definition)
            } else {
                callbacks.pending[id] = pending
            }
        } else {
            pending = PendingCallback(
                id: callbacks.takeID(), number: number, queue: queueName, reference: call.reference?.description,
                department: definition.department?.value, priority: call.route.priority, presented: call.incoming.dialled,
                joinedAt: joinedWall, requestedAt: wallNow)
            callbacks.pending[pending.id] = pending
            rejoin(pending, definition)
        }
        emit(.callbackSaved(pending))
        emit(.queueTally(queueName, .calledBack(handle)))
        publishCallbackCounts(queueName)
        log(.info, "callback.requested", Self.fields(call) + [("callback", String(pending.id)), ("queue", queueName), ("number", number),
                                                             ("pattern", pattern.text), ("outbound", outbound),
                                                             ("joined_at", UTCTimestamp.string(unixMilliseconds: pending.joinedAt))])
        journey(call, .callback, "callback to \(number) requested in queue \(queueName); place kept from \(UTCTimestamp.string(unixMilliseconds: pending.joinedAt))")
        var record = Self.record(.callback, call, queue: queueName)
        record.wait = routerNow - joined
        emit(.record(record))
        perform(call.session.callbackAccepted(queue: queueName, number: number, at: elapsed(call)), for: &call)
    }

    /// The call back takes its place in the queue engine again (after a request, a retry, a restart).
    mutating func rejoin(_ pending: PendingCallback, _ definition: Queue) {
        followUps += router.callerJoined(pending.handle, queue: definition, priority: pending.priority,
                                         callbackJoinedAt: routerTime(ofWall: pending.joinedAt), at: routerNow).map(FollowUp.router)
    }

    // MARK: the queue engine offers it

    /// The engine offers the call back to agents (inside `routerActed`). One is taken; the
    /// others (`ring-all`) are released without being passed over.
    mutating func callbackOffered(_ handle: CallHandle, _ offers: [RouterAction.Offer], ring: Duration) {
        let id = Int64(handle.rawValue - PendingCallback.firstHandle)
        guard let first = offers.first, let pending = callbacks.pending[id] else {
            for offer in offers { followUps += router.offerFailed(handle, agent: offer.agent, passOver: false, at: routerNow).map(FollowUp.router) }
            return
        }
        for offer in offers.dropFirst() {
            followUps += router.offerFailed(handle, agent: offer.agent, passOver: false, at: routerNow).map(FollowUp.router)
        }
        if var run = callbacks.placing[id] {
            // Customer-first, the customer holding: the next agent is rung for them.
            guard run.stage == .holdingCustomer else { return }
            run.agent = first.agent
            ringAgent(&run, contact: first.contact, ring: ring)
            callbacks.placing[id] = run
            return
        }
        let mode = queueDefinition(pending.queue)?.callback.mode ?? .agentFirst
        var run = CallbackRun(pending: pending, mode: mode, stage: mode == .agentFirst ? .ringingAgent : .callingCustomer, agent: first.agent)
        log(.info, "callback.offered", callbackFields(run) + [("agent", first.agent), ("mode", mode.rawValue)])
        callbackJourney(run.pending, "callback offered to \(first.agent) (\(mode.rawValue))")
        if mode == .agentFirst {
            ringAgent(&run, contact: first.contact, ring: ring)
        } else {
            callCustomer(&run)
        }
        callbacks.placing[id] = run
    }

    /// The queue's definition, in the plan in force or the engine's (a dropped queue lives while used).
    func queueDefinition(_ name: String) -> Queue? { plan.plan.queue(name) }

    /// Rings the run's agent: the INVITE carries the caller's reference and the number to be
    /// called (`X-Throughline-Callback`); their desk pops "callback".
    private mutating func ringAgent(_ run: inout CallbackRun, contact: String, ring: Duration) {
        let leg = callbacks.nextLeg(run)
        let pending = run.pending
        let pop = wantsPops ? callbackPop(run) : nil
        let handle = legTable.open(caller: run.handle, leg: leg, member: run.agent, offered: pop)
        run.agentLeg = leg
        run.agentAnswered = false
        run.agentMedia = false
        var headers = [SIPHeader("X-Throughline-Call-ID", "callback-\(pending.id)"), SIPHeader("X-Throughline-Member", run.agent),
                       SIPHeader("X-Throughline-Callback", pending.number)]
        if let reference = pending.reference {
            headers.append(SIPHeader("X-Throughline-Reference", reference))
            if let base = httpBase { headers.append(SIPHeader("Call-Info", "<\(base)/api/references/\(reference)>;purpose=info")) }
        }
        let srtp = plan.plan.agent(run.agent)?.srtp ?? plan.plan.settings.srtp
        emit(.dial(AgentDial(command: .dial(handle, to: contact.isEmpty ? router.agent(run.agent)?.contact ?? "" : contact,
                                            callerID: pending.number, headers: headers, srtp: srtp),
                             leg: leg, member: run.agent,
                             dialled: LogLine(.info, "leg.dialled", callbackFields(run) + [("leg", leg.description), ("member", run.agent),
                                                                                         ("contact", contact)]))))
        if let pop { emit(.offered(member: run.agent, pop)) }
        startCallbackTimer(&run, .ring(id: pending.id, sequence: leg.sequence), after: ring)
    }

    /// Places the call to the customer, through the plan's `outbound` only.
    private mutating func callCustomer(_ run: inout CallbackRun) {
        guard let outbound = plan.plan.settings.outbound?.value, plan.plan.settings.callbackNumbers.contains(where: { $0.matches(run.pending.number) })
        else {
            log(.warning, "callback.dropped", callbackFields(run) + [("why", "the plan in force has no outbound, or no callback-numbers allowing the number")])
            return endPlacing(&run, failure: nil, end: .dropped)
        }
        run.pending.attempts += 1
        run.stage = .callingCustomer
        let leg = callbacks.nextLeg(run)
        run.customerLeg = leg
        run.customerMedia = false
        let handle = legTable.open(caller: run.handle, leg: leg, member: Self.customerMember, offered: nil)
        let uri = outbound.replacing("{number}", with: run.pending.number)
        var headers = [SIPHeader("X-Throughline-Call-ID", "callback-\(run.pending.id)")]
        if let reference = run.pending.reference { headers.append(SIPHeader("X-Throughline-Reference", reference)) }
        emit(.dial(AgentDial(command: .dial(handle, to: uri, callerID: run.pending.presented, headers: headers, srtp: .off),
                             leg: leg, member: Self.customerMember,
                             dialled: LogLine(.info, "callback.placed", callbackFields(run) + [("leg", leg.description), ("to", uri),
                                                                                              ("attempt", String(run.pending.attempts))]))))
        emit(.callbackPlaced(run.pending))
        emit(.callbackSaved(run.pending))
        callbacks.counts[run.pending.queue, default: CallbackCounts()].placed += 1
        publishCallbackCounts(run.pending.queue)
        callbackJourney(run.pending, "calling \(run.pending.number), attempt \(run.pending.attempts)")
        startCallbackTimer(&run, .ring(id: run.pending.id, sequence: leg.sequence), after: Self.customerRing)
    }

    /// The leg table's member for a customer's leg (no agent has it: names are lower-case).
    public static let customerMember = "Customer"

    private mutating func startCallbackTimer(_ run: inout CallbackRun, _ timer: CallbackTimer, after: Duration) {
        if let old = run.timer { callbackTimers.cancel(old) }
        run.timer = timer
        callbackTimers.schedule(timer, at: (now + after).clampedNanoseconds)
    }

    // MARK: the legs' events

    /// An event of a leg placed for a call back (the leg table's caller is a call back).
    mutating func callbackLegEvent(_ event: TelephonyEvent, _ owner: LegTable.Entry) {
        let id = Int64(owner.caller.rawValue - PendingCallback.firstHandle)
        guard var run = callbacks.placing[id] else {
            if case .callEnded(let handle, _, _) = event { legTable.close(handle) }
            return
        }
        let isAgent = owner.leg == run.agentLeg
        let isCustomer = owner.leg == run.customerLeg
        switch event {
        case .callProgress(_, let code):
            log(.info, "leg.ringing", callbackFields(run) + [("leg", owner.leg.description), ("code", String(code))])
        case .callAnswered:
            log(.info, "leg.answered", callbackFields(run) + [("leg", owner.leg.description)])
            if isAgent { agentAnswered(&run) }
            if isCustomer { customerAnswered(&run) }
        case .mediaActive:
            if isAgent {
                run.agentMedia = true
                if run.stage == .callingCustomer || run.stage == .askingCustomer { playRingbackToAgent(&run) }
            }
            if isCustomer {
                run.customerMedia = true
                if run.stage == .askingCustomer { askCustomer(&run) }
            }
            bridgeIfReady(run)
        case .digitReceived(_, let digit, let method):
            log(.info, "dtmf.received", callbackFields(run) + [("leg", owner.leg.description), ("digit", digit.description), ("method", method.rawValue)])
            if isCustomer, run.stage == .askingCustomer, digit.character == "1" { customerKeyed(&run) }
        case .callEnded(let handle, let code, let reason):
            log(.info, "leg.ended", callbackFields(run) + [("leg", owner.leg.description), ("code", String(code)), ("reason", reason)])
            // What played to the leg is released (its player, or its place on a shared loop)
            // while the leg table still names it; then the leg is gone.
            if isAgent {
                if wantsPops { emit(.legGone(member: owner.member, caller: owner.caller, reference: run.pending.reference, code: code, context: nil)) }
                stopAgentPlayback(&run)
                legTable.close(handle)
                run.agentLeg = nil
                agentLegEnded(&run, code: code)
            } else if isCustomer {
                stopCustomerPlayback(&run)
                legTable.close(handle)
                run.customerLeg = nil
                customerLegEnded(&run, code: code)
            } else {
                legTable.close(handle)
            }
        default:
            break
        }
        if callbacks.placing[id] != nil { callbacks.placing[id] = run }
    }

    /// The call back's prompt ended: its player is released.
    mutating func callbackPromptFinished(_ playback: PlaybackID) {
        let id = Int64(playback.call.rawValue - PendingCallback.firstHandle)
        guard var run = callbacks.placing[id], run.customerPlayback == playback, let leg = run.customerLeg,
              let handle = legTable.handle(of: leg) else { return }
        run.customerPlayback = nil
        emit(.telephony(.stopPlayback(handle, playback), LogContext(callbackFields(run))))
        callbacks.placing[id] = run
    }

    private mutating func agentAnswered(_ run: inout CallbackRun) {
        run.agentAnswered = true
        if let timer = run.timer { callbackTimers.cancel(timer); run.timer = nil }
        if wantsPops { emit(.answeredByAgent(member: run.agent, caller: run.handle, reference: run.pending.reference, context: nil)) }
        switch run.stage {
        case .ringingAgent:
            callbackJourney(run.pending, "\(run.agent) took the callback")
            callCustomer(&run)
        case .holdingCustomer:
            connect(&run)
        default:
            break
        }
    }

    private mutating func customerAnswered(_ run: inout CallbackRun) {
        if let timer = run.timer { callbackTimers.cancel(timer); run.timer = nil }
        run.stage = .askingCustomer
        if run.customerMedia { askCustomer(&run) }
    }

    /// "This is your callback from us; press 1 to be connected", once; 1 within
    /// `customerKeyWait` or the attempt fails.
    private mutating func askCustomer(_ run: inout CallbackRun) {
        guard run.customerPlayback == nil, run.timer == nil, let leg = run.customerLeg, let handle = legTable.handle(of: leg) else { return }
        let playback = callbacks.nextPlayback(run)
        run.customerPlayback = playback
        emit(.telephony(.play(handle, prompts: [plan.prompts.path(of: "callback-intro")], playback: playback, loop: false),
                        LogContext(callbackFields(run))))
        startCallbackTimer(&run, .key(id: run.pending.id, sequence: leg.sequence), after: Self.customerKeyWait)
    }

    private mutating func customerKeyed(_ run: inout CallbackRun) {
        if let timer = run.timer { callbackTimers.cancel(timer); run.timer = nil }
        stopCustomerPlayback(&run)
        callbackJourney(run.pending, "\(run.pending.number) answered and keyed 1")
        switch run.mode {
        case .agentFirst:
            connect(&run)
        case .customerFirst:
            run.stage = .holdingCustomer
            if let leg = run.customerLeg, let handle = legTable.handle(of: leg) {
                let playback = callbacks.nextPlayback(run)
                run.customerPlayback = playback
                let music = queueDefinition(run.pending.queue)?.music?.value ?? plan.plan.settings.music.value
                emit(.telephony(.play(handle, prompts: [plan.prompts.path(of: music)], playback: playback, loop: true), LogContext(callbackFields(run))))
            }
            let contact = router.agent(run.agent)?.contact ?? ""
            ringAgent(&run, contact: contact, ring: queueDefinition(run.pending.queue)?.ring ?? .seconds(15))
        }
    }

    /// Agent-first: the agent hears ringback while their customer is called and asked.
    private mutating func playRingbackToAgent(_ run: inout CallbackRun) {
        guard run.agentPlayback == nil, let leg = run.agentLeg, let handle = legTable.handle(of: leg) else { return }
        let playback = callbacks.nextPlayback(run)
        run.agentPlayback = playback
        emit(.telephony(.play(handle, prompts: [plan.prompts.path(of: "ringback")], playback: playback, loop: true), LogContext(callbackFields(run))))
    }

    private mutating func stopAgentPlayback(_ run: inout CallbackRun) {
        guard let playback = run.agentPlayback, let leg = run.agentLeg, let handle = legTable.handle(of: leg) else { return }
        run.agentPlayback = nil
        emit(.telephony(.stopPlayback(handle, playback), LogContext(callbackFields(run))))
    }

    private mutating func stopCustomerPlayback(_ run: inout CallbackRun) {
        guard let playback = run.customerPlayback, let leg = run.customerLeg, let handle = legTable.handle(of: leg) else { return }
        run.customerPlayback = nil
        emit(.telephony(.stopPlayback(handle, playback), LogContext(callbackFields(run))))
    }

    /// The customer keyed 1 and the agent is on the line: the queue engine hears the agent
    /// answered (the wait counted from the caller's first join), the call back is done, the
    /// two are bridged as soon as both media are up.
    private mutating func connect(_ run: inout CallbackRun) {
        stopCustomerPlayback(&run)
        stopAgentPlayback(&run)
        run.stage = .connected
        followUps += router.offerAnswered(run.handle, agent: run.agent, at: routerNow).map(FollowUp.router)
        log(.info, "callback.connected", callbackFields(run) + [("agent", run.agent), ("attempt", String(run.pending.attempts))])
        callbackJourney(run.pending, "callback connected: \(run.pending.number) with \(run.agent)")
        if let reference = run.pending.reference.flatMap({ try? ReferenceNumber(parsing: $0) }) {
            emit(.setHolder(reference, department: run.pending.department, agent: run.agent))
        }
        finishCallback(run.pending, .connected)
        bridgeIfReady(run)
    }

    private mutating func bridgeIfReady(_ run: CallbackRun) {
        guard run.stage == .connected, run.agentMedia, run.customerMedia, let a = run.agentLeg, let c = run.customerLeg,
              let agentHandle = legTable.handle(of: a), let customerHandle = legTable.handle(of: c) else { return }
        emit(.telephony(.bridge(customerHandle, agentHandle), LogContext(callbackFields(run))))
    }

    /// The agent's leg ended: before the customer was connected, the agent did not take it
    /// (the engine passes them over and offers the call back again, its place unchanged);
    /// once connected, the conversation is over.
    private mutating func agentLegEnded(_ run: inout CallbackRun, code: Int) {
        switch run.stage {
        case .connected:
            hangUpCustomer(run, code: 200)
            followUps += router.callReleased(run.handle, at: routerNow).map(FollowUp.router)
            callbacks.placing[run.pending.id] = nil
        case .holdingCustomer:
            if let timer = run.timer { callbackTimers.cancel(timer); run.timer = nil }
            followUps += router.offerFailed(run.handle, agent: run.agent, at: routerNow).map(FollowUp.router)
        default:
            if let timer = run.timer { callbackTimers.cancel(timer); run.timer = nil }
            hangUpCustomer(run, code: 487)
            callbacks.placing[run.pending.id] = nil
            if run.customerLeg != nil, run.pending.attempts > 0 {
                run.pending.attempts -= 1  // not the customer's doing
                emit(.callbackSaved(run.pending))
            }
            callbacks.pending[run.pending.id] = run.pending
            log(.info, "callback.agent-missed", callbackFields(run) + [("agent", run.agent), ("code", String(code))])
            followUps += router.offerFailed(run.handle, agent: run.agent, at: routerNow).map(FollowUp.router)
        }
    }

    /// The customer's leg ended: once connected, the conversation is over; before, the
    /// attempt failed (busy, no answer, no key) and is retried after `callback retry`, or
    /// given up after `callback attempts`.
    private mutating func customerLegEnded(_ run: inout CallbackRun, code: Int) {
        if run.stage == .connected {
            hangUpAgent(run, code: 200)
            followUps += router.callReleased(run.handle, at: routerNow).map(FollowUp.router)
            callbacks.placing[run.pending.id] = nil
            return
        }
        let why: String = switch (run.stage, code) {
        case (.askingCustomer, _): "no key"
        case (.holdingCustomer, _): "hung up waiting for the agent"
        case (_, 486), (_, 600): "busy"
        case (_, 408), (_, 480), (_, 487): "no answer"
        case (_, 603): "declined"
        default: "SIP \(code)"
        }
        if let timer = run.timer { callbackTimers.cancel(timer); run.timer = nil }
        stopAgentPlayback(&run)
        hangUpAgent(run, code: 200)
        endPlacing(&run, failure: why, end: nil)
    }

    /// The attempt is over without a conversation: out of the engine (the agent freed without
    /// being passed over), then retried at its place after `callback retry`, or ended.
    private mutating func endPlacing(_ run: inout CallbackRun, failure: String?, end: CallbackEnd?) {
        callbacks.placing[run.pending.id] = nil
        if let (_, actions) = router.withdraw(run.handle, at: routerNow) { followUps += actions.map(FollowUp.router) }
        let rules = queueDefinition(run.pending.queue)?.callback ?? QueueCallback()
        var pending = run.pending
        pending.lastFailure = failure
        if let end {
            return finishCallback(pending, end)
        }
        guard pending.attempts < rules.attempts else {
            log(.warning, "callback.gave-up", callbackFields(run) + [("attempts", String(pending.attempts)), ("why", failure ?? "")])
            callbackJourney(pending, "callback to \(pending.number) given up after \(pending.attempts) attempts (last: \(failure ?? ""))")
            return finishCallback(pending, .gaveUp)
        }
        pending.retryAt = wallNow + Int64(rules.retry.clampedNanoseconds / 1_000_000)
        callbacks.pending[pending.id] = pending
        callbackTimers.schedule(.retry(id: pending.id), at: (now + rules.retry).clampedNanoseconds)
        log(.info, "callback.retry", callbackFields(run) + [("why", failure ?? ""), ("attempt", String(pending.attempts)),
                                                           ("retry_at", UTCTimestamp.string(unixMilliseconds: pending.retryAt!))])
        callbackJourney(pending, "\(pending.number): \(failure ?? "failed"); calling again at \(UTCTimestamp.string(unixMilliseconds: pending.retryAt!))")
        emit(.callbackSaved(pending))
    }

    private mutating func finishCallback(_ pending: PendingCallback, _ end: CallbackEnd) {
        callbacks.pending[pending.id] = nil
        callbackTimers.cancel(.retry(id: pending.id))
        emit(.callbackEnded(pending, end))
        switch end {
        case .connected: callbacks.counts[pending.queue, default: CallbackCounts()].connected += 1
        case .gaveUp: callbacks.counts[pending.queue, default: CallbackCounts()].failed += 1
        default: break
        }
        publishCallbackCounts(pending.queue)
    }

    /// The queue's call-back figures on the wallboard.
    mutating func publishCallbackCounts(_ queue: String) {
        var counts = callbacks.counts[queue] ?? CallbackCounts()
        counts.pending = callbacks.pendingCount(queue)
        callbacks.counts[queue] = counts
        emit(.queueTally(queue, .callbacks(counts)))
    }

    private mutating func hangUpCustomer(_ run: CallbackRun, code: Int) {
        guard let leg = run.customerLeg, let handle = legTable.handle(of: leg) else { return }
        emit(.telephony(.hangup(handle, code: code), LogContext(callbackFields(run) + [("leg", leg.description)])))
    }

    private mutating func hangUpAgent(_ run: CallbackRun, code: Int) {
        guard let leg = run.agentLeg, let handle = legTable.handle(of: leg) else { return }
        emit(.telephony(.hangup(handle, code: code), LogContext(callbackFields(run) + [("leg", leg.description)])))
    }

    /// The queue engine's verdict on a call back: answered is its connection (recorded as
    /// `CONNECT` under the caller's reference, the wait from the caller's first join); a call
    /// back never overflows nor is sent on when the queue empties.
    mutating func callbackFinishedInQueue(_ handle: CallHandle, queue: String, _ outcome: QueueOutcome) {
        let id = Int64(handle.rawValue - PendingCallback.firstHandle)
        guard let run = callbacks.placing[id] else { return }
        log(.info, "queue.outcome", callbackFields(run) + [("outcome", outcome.description)])
        guard case .answered(let agent, let wait) = outcome else { return }
        var record = QueueRecord(event: .connect, callID: run.pending.reference ?? "callback-\(id)", queue: queue, agent: agent,
                                 department: run.pending.department, campaign: nil, caller: run.pending.number)
        record.wait = wait
        record.withinServiceLevel = wait <= queueDefinition(queue)?.serviceLevel ?? .seconds(20)
        emit(.record(record))
    }

    // MARK: timers, cancels, restarts

    mutating func callbackTimerFired(_ timer: CallbackTimer) {
        switch timer {
        case .retry(let id):
            guard var pending = callbacks.pending[id], callbacks.placing[id] == nil else { return }
            pending.retryAt = nil
            callbacks.pending[id] = pending
            guard let definition = queueDefinition(pending.queue) else { return finishCallback(pending, .dropped) }
            log(.info, "callback.rejoined", [("callback", String(id)), ("queue", pending.queue), ("number", pending.number)])
            emit(.callbackSaved(pending))
            rejoin(pending, definition)
        case .ring(let id, let sequence), .key(let id, let sequence):
            guard var run = callbacks.placing[id], run.timer == timer else { return }
            run.timer = nil
            callbacks.placing[id] = run
            // The leg's end (487 or 200) moves the run on.
            let leg = LegID(call: run.handle, sequence: sequence)
            if let handle = legTable.handle(of: leg) {
                emit(.telephony(.hangup(handle, code: 487), LogContext(callbackFields(run) + [("leg", leg.description), ("why", "\(timer)")])))
            }
        }
    }

    /// A caller got through to an agent: a call back pending for their number is owed no more.
    mutating func calledIn(_ number: String) {
        guard !number.isEmpty else { return }
        for id in callbacks.pending.keys.sorted() {
            guard let pending = callbacks.pending[id], pending.number == number, callbacks.placing[id] == nil else { continue }
            if let (_, actions) = router.withdraw(pending.handle, at: routerNow) { followUps += actions.map(FollowUp.router) }
            log(.info, "callback.cancelled", [("callback", String(id)), ("number", number), ("why", "the customer called in and reached an agent")])
            callbackJourney(pending, "callback to \(number) cancelled: the customer called in and reached an agent")
            finishCallback(pending, .calledIn)
        }
    }

    mutating func cancelCallback(_ id: Int64) {
        guard let pending = callbacks.pending[id] else { return emit(.reply(.callbackCancelled(refused: "no pending callback \(id)"))) }
        guard callbacks.placing[id] == nil else { return emit(.reply(.callbackCancelled(refused: "callback \(id) is being placed now"))) }
        if let (_, actions) = router.withdraw(pending.handle, at: routerNow) { followUps += actions.map(FollowUp.router) }
        log(.info, "callback.cancelled", [("callback", String(id)), ("number", pending.number), ("why", "cancelled by an admin")])
        callbackJourney(pending, "callback to \(pending.number) cancelled by an admin")
        finishCallback(pending, .cancelled)
        emit(.reply(.callbackCancelled(refused: nil)))
    }

    /// At start: the store's pending call backs take their places again; one due during the
    /// downtime is placed as soon as an agent is free, at its place.
    mutating func callbacksRestored(_ restored: [PendingCallback], nextID: Int64) {
        callbacks.nextID = max(callbacks.nextID, nextID)
        for pending in restored.sorted(by: { $0.joinedAt < $1.joinedAt }) {
            callbacks.nextID = max(callbacks.nextID, pending.id + 1)
            guard let definition = queueDefinition(pending.queue) else {
                log(.warning, "callback.dropped", [("callback", String(pending.id)), ("queue", pending.queue), ("why", "the plan has no such queue")])
                finishCallback(pending, .dropped)
                continue
            }
            callbacks.pending[pending.id] = pending
            emit(.callbackSaved(pending))  // listed again (`GET /api/callbacks`)
            if let retryAt = pending.retryAt, retryAt > wallNow {
                callbackTimers.schedule(.retry(id: pending.id), at: (now + .milliseconds(retryAt - wallNow)).clampedNanoseconds)
            } else {
                callbacks.pending[pending.id]?.retryAt = nil
                rejoin(callbacks.pending[pending.id]!, definition)
            }
            log(.info, "callback.restored", [("callback", String(pending.id)), ("queue", pending.queue), ("number", pending.number),
                                              ("joined_at", UTCTimestamp.string(unixMilliseconds: pending.joinedAt))])
        }
        for queue in Set(restored.map(\.queue)).sorted() { publishCallbackCounts(queue) }
    }

    /// At shutdown: legs being placed are hung up; the call backs stay pending in the store.
    mutating func callbacksShutDown() {
        for id in callbacks.placing.keys.sorted() {
            let run = callbacks.placing[id]!
            hangUpAgent(run, code: 503)
            hangUpCustomer(run, code: 503)
        }
    }

    // MARK: helpers

    func callbackFields(_ run: CallbackRun) -> [(String, String)] {
        [("callback", String(run.pending.id)), ("reference", run.pending.reference ?? ""), ("queue", run.pending.queue), ("number", run.pending.number)]
    }

    mutating func callbackJourney(_ pending: PendingCallback, _ detail: String) {
        guard let text = pending.reference, let reference = try? ReferenceNumber(parsing: text) else { return }
        emit(.journey(JourneyEntry(reference: reference, kind: .callback, detail: detail, call: "callback-\(pending.id)", author: nil)))
    }

    /// The agent's pop for a call back: the number, the queue, the reference (the shell adds its journey).
    func callbackPop(_ run: CallbackRun) -> PopBody {
        let pending = run.pending
        let waited = Double(max(0, wallNow - pending.joinedAt)) / 1000
        var pop = PopBody(call: run.handle.description, sipCallID: "callback-\(pending.id)", agent: run.agent, reference: pending.reference,
                          caller: pending.number, dialled: pending.presented, route: "callback", campaign: nil,
                          path: [PathStepBody(at: "0s", step: "callback requested in queue \(pending.queue)")],
                          waitSeconds: (waited * 10).rounded() / 10, queue: pending.queue)
        pop.callback = pending.number
        return pop
    }
}
