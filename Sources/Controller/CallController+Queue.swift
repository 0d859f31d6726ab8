import Foundation
import ThroughlineCore

/// The queue engine's side of the controller: reports from calls go to the `QueueRouter`,
/// its actions come back to calls, timers and the status board; agents' registrations and
/// feature codes change what it knows of them. All on the controller thread.
extension CallController {
    /// The queue engine's clock: time since the controller started.
    var routerNow: Duration { .nanoseconds(Int64(clock() &- startedAt)) }

    /// A call's machine reported to the queue engine (inside `perform`): the engine's answer
    /// waits in the outbox until the current event is done, so no call's machine is entered
    /// twice at once.
    func queueReported(_ report: QueueReport, by call: Call) {
        let handle = call.incoming.handle
        let now = routerNow
        switch report {
        case .join(let queue):
            // A repeat caller's last agent is offered the call first (once, on the first queue).
            let lastAgent = call.lastAgent
            if lastAgent != nil { calls[handle]?.lastAgent = nil }
            routerOutbox += router.callerJoined(handle, queue: queue, priority: call.route.priority, lastAgent: lastAgent,
                                                preferFor: call.plan.plan.settings.lastAgentFirst, at: now)
            journey(call, .queue, "joined queue \(queue.name.value)" + (lastAgent.map { ", offered to \($0) first" } ?? ""))
            if router.queueOf(handle) != nil {
                board.updateQueue(queue.name.value) { $0.waiting[handle.description] = Date() }
                logger.log(.info, "queue.joined", Self.fields(call) + [("queue", queue.name.value), ("priority", String(call.route.priority)),
                                                                     ("waiting", String(router.waitingCount))])
            }
        case .answered(let agent):
            routerOutbox += router.offerAnswered(handle, agent: agent, at: now)
        case .failed(let agent):
            routerOutbox += router.offerFailed(handle, agent: agent, at: now)
        case .released:
            routerOutbox += router.callReleased(handle, at: now)
        }
    }

    /// Performs the queue engine's actions, in order, until the outbox is empty.
    func drainRouter() {
        var index = 0
        while index < routerOutbox.count {
            let action = routerOutbox[index]
            index += 1
            switch action {
            case .offer(let handle, let offers, let ring):
                update(handle) { call, now in call.session.queueOffer(offers, ring: ring, at: now) }
            case .announce(let handle, let position, let estimate):
                update(handle) { call, now in
                    logger.log(.info, "queue.announce", Self.fields(call) + [("position", String(position)),
                                                                           ("estimated_wait", estimate.map(QueueOutcome.seconds) ?? "unknown")])
                    return call.session.queueAnnounce(position: position, estimatedWait: estimate, at: now)
                }
            case .finished(let handle, let queue, let outcome):
                recordOutcome(handle, queue: queue, outcome)
                queueEnded(handle, queue: queue, outcome, call: calls[handle] ?? endedCalls[handle])
                update(handle) { call, now in call.session.queueFinished(queue, outcome, at: now) }
            case .startTimer(let timer, let after):
                routerTimers.schedule(timer, at: clock() &+ Self.nanoseconds(after))
            case .cancelTimer(let timer):
                routerTimers.cancel(timer)
            case .agentChanged(let name):
                publishAgent(name)
            }
        }
        routerOutbox.removeAll()
    }

    private func recordOutcome(_ handle: CallHandle, queue: String, _ outcome: QueueOutcome) {
        let wait = Double(Self.nanoseconds(outcome.wait)) / 1e9
        board.updateQueue(queue) { q in
            q.waiting[handle.description] = nil
            switch outcome {
            case .answered: q.answered += 1; q.answeredWait += wait
            case .abandoned: q.abandoned += 1; q.abandonedWait += wait
            case .overflowed: q.overflowed += 1
            case .empty: q.sentOnEmpty += 1
            }
        }
        var fields: [(String, String)] = [("call", handle.description), ("queue", queue), ("outcome", outcome.description),
                                          ("wait_s", String(format: "%.3f", wait))]
        fields = callFields(handle) + fields.dropFirst()
        if calls[handle] == nil {
            endedQueueOutcomes[handle] = .queue(queue, outcome)
        }
        logger.log(.info, "queue.outcome", fields)
    }

    /// Puts an agent's status and state on the status board, with their queues' staffing.
    func publishAgent(_ name: String) {
        guard let a = router.agent(name) else { return }
        let call: String? = switch a.state {
        case .offered(let c), .talking(let c): c.description
        default: nil
        }
        board.setAgent(.init(name: name, fullName: plan.plan.agent(name)?.fullName ?? name, status: a.status.word, reason: a.status.reason,
                             state: a.state.word, call: call, contact: a.contact, callsTaken: a.callsTaken, heldBack: a.heldBackUntil != nil,
                             queues: a.queues))
        logger.log(.debug, "agent.changed", [("agent", name), ("status", a.status.word), ("state", a.state.word)])
        for queue in a.queues {
            guard let q = router.queue(queue) else { continue }
            board.updateQueue(queue) { $0.staffed = q.staffed; $0.available = q.available }
        }
    }

    /// The directory and agents' departments, for desks (at start and after each reload).
    public func publishDirectory() {
        board.setDirectory(directory(plan))
        var departments: [String: Set<String>] = [:]
        for agent in plan.plan.agents { departments[agent.name.value] = Set(agent.departments.map(\.value)) }
        pops?.setDepartments(departments)
    }

    func publishAgents() {
        publishDirectory()
        for name in router.queueNames {
            guard let q = router.queue(name) else { continue }
            board.updateQueue(name) { $0.staffed = q.staffed; $0.available = q.available }
        }
        for name in router.agentNames { publishAgent(name) }
    }

    static func registrarAccounts(_ plan: Dialplan) -> [String: String] {
        var accounts: [String: String] = [:]
        for agent in plan.agents {
            if let login = agent.login?.value, let secret = agent.secret?.value { accounts[login] = secret }
        }
        return accounts
    }

    /// The agent whose `login` this is, in the plan in force.
    private func agentName(login: String) -> String? {
        plan.plan.agents.first { $0.login?.value == login }?.name.value
    }

    /// The registrar accepted a REGISTER: the agent is reachable at `contact` until it expires.
    func registered(_ login: String, contact: String?, expires: Int) {
        guard let contact else { return registrationEnded(login, why: "unregistered") }
        guard let name = agentName(login: login) else {
            logger.log(.warning, "registration.ignored", [("login", login), ("why", "no agent has this login in the plan in force")])
            return
        }
        registrationTimers.schedule(login, at: clock() &+ UInt64(expires) * 1_000_000_000)
        routerOutbox += router.contactChanged(name, to: contact, at: routerNow) ?? []
        logger.log(.info, "agent.registered", [("agent", name), ("login", login), ("contact", contact), ("expires", String(expires))])
    }

    func registrationEnded(_ login: String, why: String) {
        registrationTimers.cancel(login)
        guard let name = agentName(login: login) else { return }
        routerOutbox += router.contactChanged(name, to: nil, at: routerNow) ?? []
        logger.log(.info, "agent.unregistered", [("agent", name), ("login", login), ("why", why)])
    }

    /// An agent's phone dialled a feature code: set the status, confirm, hang up. A phone
    /// that is no agent's (by the address its INVITE came from) is refused 403.
    func featureCodeCalled(_ code: FeatureCode, _ incoming: IncomingCall) {
        let source = incoming.source
        let agent = router.agent(phoneAt: source)
        guard let agent, let actions = router.statusChanged(agent, to: code.status, at: routerNow) else {
            logger.log(.warning, "call.refused", [("call", incoming.handle.description), ("code", "403"), ("to", incoming.dialled),
                                                  ("source", source), ("reason", "feature code from a phone that is no agent's")])
            try? port.execute(.hangup(incoming.handle, code: 403))
            return
        }
        logger.log(.info, "agent.status", [("agent", agent), ("status", code.status.word), ("reason", code.status.reason ?? ""),
                                           ("by", "feature code \(code.rawValue)")])
        routerOutbox += actions
        let route = Route(number: incoming.dialled, campaign: nil, priority: 0,
                          target: Located(.hangup, at: SourceLocation(file: "<feature-code>", line: 0, column: 0)),
                          location: SourceLocation(file: "<feature-code>", line: 0, column: 0))
        let (session, start) = CallSession.start(incoming.handle, plan: plan.plan, route: route, promptsFolder: plan.promptsFolder,
                                                 farewell: [code.prompt])
        var call = Call(incoming: incoming, plan: plan, route: route, session: session, arrivedAt: clock(), arrivedWall: Date())
        calls[incoming.handle] = call
        perform(start, for: &call)
        if calls[incoming.handle] != nil { calls[incoming.handle] = call }
    }
}
