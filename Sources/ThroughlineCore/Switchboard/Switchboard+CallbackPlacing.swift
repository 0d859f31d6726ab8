/// A call back being placed (`CallbackRun`): the queue engine offered it to an agent; the
/// agent's phone and the customer's (through the plan's `outbound` only) are rung in the
/// queue's `callback mode` order, the customer keys 1, the two are bridged; an attempt that
/// fails is retried at the call back's place after `callback retry`, or given up.
extension Switchboard {
    // MARK: the queue engine offers it

    /// The engine offers the call back to agents (inside `routerActed`). One is taken; the
    /// others (`ring-all`) are released without being passed over.
    mutating func callbackOffered(_ handle: CallHandle, _ offers: [RouterAction.Offer], ring: Duration) {
        let id = PendingCallback.id(of: handle)
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
        callbacks.placing[id] = run
        if mode == .agentFirst {
            ringAgent(&run, contact: first.contact, ring: ring)
        } else {
            callCustomer(&run)
        }
        if callbacks.placing[id] != nil { callbacks.placing[id] = run }  // not when it ended at once (dropped)
    }

    /// The queue's definition, in the plan in force or the engine's (a dropped queue lives while used).
    func queueDefinition(_ name: String) -> Queue? { plan.plan.queue(name) }

    /// Rings the run's agent: the INVITE carries the caller's reference and the number to be
    /// called (`X-Throughline-Callback`); their desk pops "callback".
    mutating func ringAgent(_ run: inout CallbackRun, contact: String, ring: Duration) {
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
                                                                                         ("contact", contact)]),
                             isQueueOffer: true)))
        if let pop { emit(.offered(member: run.agent, pop)) }
        startCallbackTimer(&run, .ring(id: pending.id, sequence: leg.sequence), after: ring)
    }

    /// Places the call to the customer, through the plan's `outbound` only.
    mutating func callCustomer(_ run: inout CallbackRun) {
        guard let outbound = plan.plan.settings.outbound?.value, plan.plan.settings.callbackNumbers.contains(where: { $0.matches(run.pending.number) })
        else {
            log(.warning, "callback.dropped", callbackFields(run) + [("why", "the plan in force has no outbound, or no callback-numbers allowing the number")])
            stopAgentPlayback(&run)
            hangUpAgent(run, code: 200)  // agent-first: the agent who answered is let go
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

    mutating func cancelCallbackTimer(_ run: inout CallbackRun) {
        guard let timer = run.timer else { return }
        callbackTimers.cancel(timer)
        run.timer = nil
    }

    mutating func startCallbackTimer(_ run: inout CallbackRun, _ timer: CallbackTimer, after: Duration) {
        if let old = run.timer { callbackTimers.cancel(old) }
        run.timer = timer
        callbackTimers.schedule(timer, at: (now + after).clampedNanoseconds)
    }

    // MARK: the legs' events

    /// An event of a leg placed for a call back (the leg table's caller is a call back).
    mutating func callbackLegEvent(_ event: TelephonyEvent, _ owner: LegTable.Entry) {
        let id = PendingCallback.id(of: owner.caller)
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
        let id = PendingCallback.id(of: playback.call)
        guard var run = callbacks.placing[id], run.customerPlayback == playback, let leg = run.customerLeg,
              let handle = legTable.handle(of: leg) else { return }
        run.customerPlayback = nil
        emit(.telephony(.stopPlayback(handle, playback), LogContext(callbackFields(run))))
        callbacks.placing[id] = run
    }

    mutating func agentAnswered(_ run: inout CallbackRun) {
        run.agentAnswered = true
        cancelCallbackTimer(&run)
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

    mutating func customerAnswered(_ run: inout CallbackRun) {
        cancelCallbackTimer(&run)
        run.stage = .askingCustomer
        if run.customerMedia { askCustomer(&run) }
    }

    /// "This is your callback from us; press 1 to be connected", once; 1 within
    /// `customerKeyWait` or the attempt fails.
    mutating func askCustomer(_ run: inout CallbackRun) {
        guard run.customerPlayback == nil, run.timer == nil, let leg = run.customerLeg, let handle = legTable.handle(of: leg) else { return }
        let playback = callbacks.nextPlayback(run)
        run.customerPlayback = playback
        emit(.telephony(.play(handle, prompts: [plan.prompts.path(of: "callback-intro")], playback: playback, loop: false),
                        LogContext(callbackFields(run))))
        startCallbackTimer(&run, .key(id: run.pending.id, sequence: leg.sequence), after: Self.customerKeyWait)
    }

    mutating func customerKeyed(_ run: inout CallbackRun) {
        cancelCallbackTimer(&run)
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
    mutating func playRingbackToAgent(_ run: inout CallbackRun) {
        guard run.agentPlayback == nil, let leg = run.agentLeg, let handle = legTable.handle(of: leg) else { return }
        let playback = callbacks.nextPlayback(run)
        run.agentPlayback = playback
        emit(.telephony(.play(handle, prompts: [plan.prompts.path(of: "ringback")], playback: playback, loop: true), LogContext(callbackFields(run))))
    }

    mutating func stopAgentPlayback(_ run: inout CallbackRun) {
        guard let playback = run.agentPlayback, let leg = run.agentLeg, let handle = legTable.handle(of: leg) else { return }
        run.agentPlayback = nil
        emit(.telephony(.stopPlayback(handle, playback), LogContext(callbackFields(run))))
    }

    mutating func stopCustomerPlayback(_ run: inout CallbackRun) {
        guard let playback = run.customerPlayback, let leg = run.customerLeg, let handle = legTable.handle(of: leg) else { return }
        run.customerPlayback = nil
        emit(.telephony(.stopPlayback(handle, playback), LogContext(callbackFields(run))))
    }

    /// The customer keyed 1 and the agent is on the line: the queue engine hears the agent
    /// answered (the wait counted from the caller's first join), the call back is done, the
    /// two are bridged as soon as both media are up.
    mutating func connect(_ run: inout CallbackRun) {
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

    mutating func bridgeIfReady(_ run: CallbackRun) {
        guard run.stage == .connected, run.agentMedia, run.customerMedia, let a = run.agentLeg, let c = run.customerLeg,
              let agentHandle = legTable.handle(of: a), let customerHandle = legTable.handle(of: c) else { return }
        emit(.telephony(.bridge(customerHandle, agentHandle), LogContext(callbackFields(run))))
    }

    /// The agent's leg ended: before the customer was connected, the agent did not take it
    /// (the engine passes them over and offers the call back again, its place unchanged);
    /// once connected, the conversation is over.
    mutating func agentLegEnded(_ run: inout CallbackRun, code: Int) {
        switch run.stage {
        case .connected:
            hangUpCustomer(run, code: 200)
            followUps += router.callReleased(run.handle, at: routerNow).map(FollowUp.router)
            callbacks.placing[run.pending.id] = nil
        case .holdingCustomer:
            cancelCallbackTimer(&run)
            followUps += router.offerFailed(run.handle, agent: run.agent, at: routerNow).map(FollowUp.router)
        default:
            cancelCallbackTimer(&run)
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
    mutating func customerLegEnded(_ run: inout CallbackRun, code: Int) {
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
        cancelCallbackTimer(&run)
        stopAgentPlayback(&run)
        hangUpAgent(run, code: 200)
        endPlacing(&run, failure: why, end: nil)
    }

    /// The attempt is over without a conversation: out of the engine (the agent freed without
    /// being passed over), then retried at its place after `callback retry`, or ended.
    mutating func endPlacing(_ run: inout CallbackRun, failure: String?, end: CallbackEnd?) {
        callbacks.placing[run.pending.id] = nil
        withdrawCallback(run.handle)
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

    mutating func finishCallback(_ pending: PendingCallback, _ end: CallbackEnd) {
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

    mutating func hangUpCustomer(_ run: CallbackRun, code: Int) {
        guard let leg = run.customerLeg, let handle = legTable.handle(of: leg) else { return }
        emit(.telephony(.hangup(handle, code: code), LogContext(callbackFields(run) + [("leg", leg.description)])))
    }

    mutating func hangUpAgent(_ run: CallbackRun, code: Int) {
        guard let leg = run.agentLeg, let handle = legTable.handle(of: leg) else { return }
        emit(.telephony(.hangup(handle, code: code), LogContext(callbackFields(run) + [("leg", leg.description)])))
    }
}
