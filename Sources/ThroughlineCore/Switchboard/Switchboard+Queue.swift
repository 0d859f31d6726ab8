/// The queue engine's side: reports from calls go to the `QueueRouter`, its actions come back
/// (as follow-ups) to calls, timers and the wallboard; agents' statuses, registrations and
/// reloads change what it knows of them.
extension Switchboard {
    /// A call's machine reported to the queue engine (inside `perform`): the engine's answer
    /// waits in the follow-ups until the current call is stored back.
    mutating func queueReported(_ report: QueueReport, by call: inout Call) {
        let handle = call.incoming.handle
        switch report {
        case .join(let queue):
            // A repeat caller's last agent is offered the call first (once, on the first queue).
            let lastAgent = call.lastAgent
            call.lastAgent = nil
            call.queuePosition = (router.queue(queue.name.value)?.waiting ?? 0) + 1
            followUps += router.callerJoined(handle, queue: queue, priority: call.route.priority, lastAgent: lastAgent,
                                             preferFor: call.plan.plan.settings.lastAgentFirst, at: routerNow).map(FollowUp.router)
            journey(call, .queue, "joined queue \(queue.name.value)" + (lastAgent.map { ", offered to \($0) first" } ?? ""))
            if router.queueOf(handle) != nil {
                emit(.queueTally(queue.name.value, .joined(handle)))
                emit(.record(Self.record(.enterQueue, call, queue: queue.name.value)))
                log(.info, "queue.joined", Self.fields(call) + [("queue", queue.name.value), ("priority", String(call.route.priority)),
                                                               ("waiting", String(router.waitingCount))])
            }
        case .answered(let agent):
            followUps += router.offerAnswered(handle, agent: agent, at: routerNow).map(FollowUp.router)
        case .failed(let agent):
            followUps += router.offerFailed(handle, agent: agent, at: routerNow).map(FollowUp.router)
        case .rangOut(let agent, let after):
            if let queue = router.queueOf(handle) {
                var record = Self.record(.ringNoAnswer, call, queue: queue, agent: agent)
                record.wait = after
                emit(.record(record))
            }
            followUps += router.offerFailed(handle, agent: agent, at: routerNow).map(FollowUp.router)
        case .callbackRequested(let number):
            callbackRequested(number, by: &call)
        case .released:
            if let talk = call.queueTalk {
                // The conversation is over: who ended it, as the call's machine now stands.
                let event: QueueRecord.Event = switch call.session.state {
                case .ended: .completeCaller
                case .transferring, .queued, .ringingAgents, .inMenus: .transfer
                default: .completeAgent
                }
                var record = Self.record(event, call, queue: talk.queue, agent: talk.agent)
                record.wait = talk.wait
                record.talk = routerNow - talk.since
                emit(.record(record))
                call.queueTalk = nil
            }
            followUps += router.callReleased(handle, at: routerNow).map(FollowUp.router)
        }
    }

    /// One action of the queue engine, done.
    mutating func routerActed(_ action: RouterAction) {
        switch action {
        case .offer(let handle, let offers, let ring) where PendingCallback.isCallback(handle):
            callbackOffered(handle, offers, ring: ring)
        case .finished(let handle, let queue, let outcome) where PendingCallback.isCallback(handle):
            callbackFinishedInQueue(handle, queue: queue, outcome)
        case .offer(let handle, let offers, let ring):
            update(handle) { call, at in call.session.queueOffer(offers, ring: ring, at: at) }
        case .announce(let handle, let position, let estimate):
            if let call = calls[handle] {
                log(.info, "queue.announce", Self.fields(call) + [("position", String(position)),
                                                                 ("estimated_wait", estimate.map(QueueOutcome.seconds) ?? "unknown")])
            }
            update(handle) { call, at in call.session.queueAnnounce(position: position, estimatedWait: estimate, at: at) }
        case .finished(let handle, let queue, let outcome):
            queueFinished(handle, queue: queue, outcome)
            update(handle) { call, at in call.session.queueFinished(queue, outcome, at: at) }
        case .startTimer(let timer, let after):
            routerTimers.schedule(timer, at: (now + after).clampedNanoseconds)
        case .cancelTimer(let timer):
            routerTimers.cancel(timer)
        case .agentChanged(let name):
            publishAgent(name)
        case .heldForAnotherNode(let agent, let caller):
            if let caller {
                let node = caller.split(separator: "/").dropLast().joined(separator: "/")
                log(.info, "agent.held-for-another-node", [("agent", agent), ("node", node), ("caller", caller)])
            } else {
                log(.info, "agent.held-for-another-node", [("agent", agent), ("node", ""), ("caller", "")])
            }
        }
    }

    /// A caller's time in a queue is over: the wallboard's figures, the log, the journey, and
    /// (for a call that already ended) the outcome its record will carry.
    private mutating func queueFinished(_ handle: CallHandle, queue: String, _ outcome: QueueOutcome) {
        emit(.queueTally(queue, .left(handle, outcome)))
        let wait = Double(outcome.wait.clampedNanoseconds) / 1e9
        if calls[handle] == nil { endedQueueOutcomes[handle] = .queue(queue, outcome) }
        log(.info, "queue.outcome", callFields(handle) + [("queue", queue), ("outcome", outcome.description), ("wait_s", Self.seconds(wait))])
        guard let call = calls[handle] ?? endedCalls[handle] else { return }
        journey(call, .queue, "queue \(queue): \(outcome)")
        recordOutcome(handle, call, queue: queue, outcome)
        if case .answered(let agent, _) = outcome, let reference = call.reference {
            let department = call.plan.plan.queue(queue)?.department?.value ?? router.queueDepartment(queue)
            emit(.setHolder(reference, department: department, agent: agent))
        }
        if case .answered = outcome { calledIn(call.incoming.caller) }
    }

    /// The record's event for a queue outcome; an answer starts the conversation whose end
    /// is recorded when the queue engine is told (`.released`).
    private mutating func recordOutcome(_ handle: CallHandle, _ call: Call, queue: String, _ outcome: QueueOutcome) {
        let definition = call.plan.plan.queue(queue)
        var record: QueueRecord
        switch outcome {
        case .answered(let agent, let wait):
            record = Self.record(.connect, call, queue: queue, agent: agent)
            record.withinServiceLevel = wait <= definition?.serviceLevel ?? .seconds(20)
            let since = routerNow
            calls[handle]?.queueTalk = (queue, agent, wait, since)
        case .abandoned(let wait):
            record = Self.record(.abandon, call, queue: queue)
            record.shortAbandon = wait <= definition?.shortAbandon ?? .seconds(5)
        case .overflowed:
            record = Self.record(.exitWithTimeout, call, queue: queue)
        case .empty:
            record = Self.record(.exitEmpty, call, queue: queue)
        }
        record.wait = outcome.wait
        emit(.record(record))
    }

    /// A record of `call` in `queue`: its id (reference, else SIP Call-ID), the queue's
    /// department, the route's campaign, the caller and their place.
    static func record(_ event: QueueRecord.Event, _ call: Call, queue: String, agent: String? = nil) -> QueueRecord {
        var record = QueueRecord(event: event, callID: call.reference?.description ?? call.incoming.sipCallID, queue: queue, agent: agent,
                                 department: call.plan.plan.queue(queue)?.department?.value, campaign: call.campaign,
                                 caller: call.incoming.caller)
        record.position = call.queuePosition
        record.chargedTo = call.chargedTo
        return record
    }

    /// `1.5` → `1.500`: three decimals, as the log has always printed waits.
    static func seconds(_ value: Double) -> String {
        let millis = Int((value * 1000).rounded())
        let fraction = String(millis % 1000)
        return "\(millis / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }

    /// An agent's wallboard line, and their queues' staffing.
    mutating func publishAgent(_ name: String) {
        guard let a = router.agent(name) else { return }
        let call: String? = switch a.state {
        case .offered(let c), .talking(let c): c.description
        default: nil
        }
        emit(.agentShown(AgentBody(agent: name, name: plan.plan.agent(name)?.fullName ?? name, status: a.status.word,
                                   reason: a.status.reason, state: a.state.word, call: call, contact: a.contact,
                                   callsTaken: a.callsTaken, heldBack: a.heldBackUntil != nil, queues: a.queues,
                                   reasonOwed: a.reasonOwed, engagedElsewhere: a.engagedElsewhere)))
        log(.debug, "agent.changed", [("agent", name), ("status", a.status.word), ("state", a.state.word)])
        for queue in a.queues { publishStaffing(queue) }
    }

    mutating func publishStaffing(_ queue: String) {
        guard let q = router.queue(queue) else { return }
        emit(.queueTally(queue, .staffing(staffed: q.staffed, available: q.available)))
    }

    /// Every queue's staffing and every agent's line (at start and after each reload).
    mutating func publishEveryAgent() {
        for name in router.queueNames { publishStaffing(name) }
        for name in router.agentNames { publishAgent(name) }
    }

    /// The API or a desk set an agent's status (`by` "api"), or the store gave
    /// it back at start (`by` "restart").
    mutating func setStatus(_ agent: String, _ status: AgentStatus, by: String = "api") {
        guard let actions = router.statusChanged(agent, to: status, at: routerNow) else {
            return emit(.reply(.agentStatus(changed: false)))
        }
        log(.info, "agent.status", [("agent", agent), ("status", status.word), ("reason", status.reason ?? ""), ("by", by)])
        followUps += actions.map(FollowUp.router)
        settleFollowUps()  // the wallboard shows the change before the API answers
        emit(.reply(.agentStatus(changed: true)))
    }

    /// Another node has the agent on a call (`node`), or no live node has (nil): they are not
    /// offered from here meanwhile (`agent.engaged-elsewhere`).
    mutating func engagedElsewhere(_ agent: String, node: String?) {
        guard let actions = router.engagedElsewhere(agent, node != nil, at: routerNow), !actions.isEmpty else { return }
        log(.info, "agent.engaged-elsewhere", [("agent", agent), ("engaged", node == nil ? "no" : "yes"), ("node", node ?? "")])
        followUps += actions.map(FollowUp.router)
    }

    /// An agent named their last call's reason (the API wrote it on the reference): a
    /// wrap-up that waited only for it ends.
    mutating func reasonGiven(_ agent: String) {
        guard let actions = router.reasonGiven(agent, at: routerNow) else { return emit(.reply(.reasonGiven(known: false))) }
        if !actions.isEmpty { log(.info, "agent.reason-given", [("agent", agent)]) }
        followUps += actions.map(FollowUp.router)
        settleFollowUps()
        emit(.reply(.reasonGiven(known: true)))
    }

    /// A reload: new calls take `loaded`; calls in progress keep the version they arrived on.
    mutating func planLoaded(_ loaded: PlanVersion) {
        var loaded = loaded
        loaded.version = plan.version + 1
        plan = loaded
        followUps += router.planChanged(loaded.plan, at: routerNow).map(FollowUp.router)
        emit(.agentsRemaining(Set(router.agentNames)))
        publishEveryAgent()
        log(.info, "plan.loaded", [("plan", String(loaded.version)), ("plan_hash", loaded.hash),
                                   ("warnings", String(loaded.warnings.count)), ("calls_on_older_plans", String(calls.count))])
    }

    /// The agent whose `login` this is, in the plan in force.
    private func agentName(login: String) -> String? {
        plan.plan.agents.first { $0.login?.value == login }?.name.value
    }

    /// The registrar accepted a REGISTER: the agent is reachable at `contact` until it expires.
    mutating func registered(_ login: String, contact: String?, expires: Int) {
        guard let contact else { return registrationEnded(login, why: "unregistered") }
        guard let name = agentName(login: login) else {
            return log(.warning, "registration.ignored", [("login", login), ("why", "no agent has this login in the plan in force")])
        }
        registrationTimers.schedule(login, at: (now + .seconds(expires)).clampedNanoseconds)
        followUps += (router.contactChanged(name, to: contact, at: routerNow) ?? []).map(FollowUp.router)
        log(.info, "agent.registered", [("agent", name), ("login", login), ("contact", contact), ("expires", String(expires))])
    }

    mutating func registrationEnded(_ login: String, why: String) {
        registrationTimers.cancel(login)
        guard let name = agentName(login: login) else { return }
        followUps += (router.contactChanged(name, to: nil, at: routerNow) ?? []).map(FollowUp.router)
        log(.info, "agent.unregistered", [("agent", name), ("login", login), ("why", why)])
    }
}
