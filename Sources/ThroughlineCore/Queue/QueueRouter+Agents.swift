extension QueueRouter {
    /// The agent's phone answered the caller's offer: the caller leaves the queue, the other
    /// phones ringing for them (`ring-all`) are released. Called by the controller when the
    /// call's machine reports the agent's 200 OK.
    public mutating func offerAnswered(_ call: CallHandle, agent name: String, at now: Duration) -> [RouterAction] {
        guard let i = agentIndex[name], var caller = callers[call], caller.offered.contains(i) else { return [] }
        caller.offered.remove(i)
        callers[call] = caller
        let q = caller.queue
        let queueName = queues[q].definition.name.value
        var actions = removeCaller(call, at: now)
        agents[i].state = .talking(call)
        agents[i].callsTaken += 1
        talking[call] = (i, queueName, now)
        let wait = now - caller.joinedAt
        queues[q].stats.answered += 1
        queues[q].stats.answeredWait += wait
        actions.append(.agentChanged(name))
        return actions + [.finished(call, queue: queueName, .answered(by: name, wait: wait))]
    }

    /// The agent's phone did not take the offer: it rang out, was busy, declined or could not
    /// be reached. The agent is passed over for the queue's `no-answer-delay`; the caller,
    /// once no other phone rings for them, is offered to the next agent or waits again in
    /// their old place. Called by the controller.
    /// `passOver` false releases the agent without passing them over (a call back takes one
    /// agent of a `ring-all` offer, the others were never rung); so does an offer that failed
    /// because another node has the agent now (`engagedElsewhere`).
    public mutating func offerFailed(_ call: CallHandle, agent name: String, passOver: Bool = true, at now: Duration) -> [RouterAction] {
        guard let i = agentIndex[name], agents[i].state == .offered(call) else { return [] }
        var actions: [RouterAction] = []
        waitingGeneration += 1
        // An offer another node's came before (it has the agent now) is not the agent's failing.
        let passOver = passOver && !agents[i].engagedElsewhere
        var delay = passOver ? settings.noAnswerDelay : .zero
        if var caller = callers[call] {
            caller.offered.remove(i)
            callers[call] = caller
            if passOver { delay = queues[caller.queue].definition.noAnswerDelay ?? delay }
        }
        agents[i].state = .idle
        if delay > .zero {
            agents[i].heldBackUntil = now + delay
            actions.append(.startTimer(.holdBackEnds(agent: name), after: delay))
        }
        actions.append(.agentChanged(name))
        actions += matchCaller(call, at: now)
        if agents[i].isFree { actions += agentFreed(i, at: now) }
        return actions
    }

    /// The agent chose a status (HTTP API or feature code). Pausing or logging out while on
    /// a call takes effect for the next offer; the call goes on. Returns nil for an agent the
    /// plan does not have. Called by the controller.
    public mutating func statusChanged(_ name: String, to status: AgentStatus, at now: Duration) -> [RouterAction]? {
        guard let i = agentIndex[name], !agents[i].removed else { return nil }
        return change(i, at: now) { $0.status = status }
    }

    /// Another node sharing the store has the agent on one of its calls (`engaged`), or no
    /// longer has (it freed them, or stopped being live). While engaged elsewhere the agent is
    /// not free here; freed, they take the longest-waiting caller they can serve, as after
    /// wrap-up. Returns nil for an agent the plan does not have, no actions when nothing
    /// changed. Called by the controller, from what `SharedAgentWatch` read.
    public mutating func engagedElsewhere(_ name: String, _ engaged: Bool, at now: Duration) -> [RouterAction]? {
        guard let i = agentIndex[name], !agents[i].removed else { return nil }
        guard agents[i].engagedElsewhere != engaged else { return [] }
        return change(i, at: now) { $0.engagedElsewhere = engaged }  // held for a caller there: taken
    }

    /// The agent named their last call's reason (`wrap-up-reason yes`): wrap-up ends now if
    /// its time is over (otherwise at its timer). Returns nil for an agent the plan does not
    /// have; no actions when no reason was owed. Called by the controller for the API.
    public mutating func reasonGiven(_ name: String, at now: Duration) -> [RouterAction]? {
        guard let i = agentIndex[name], !agents[i].removed else { return nil }
        guard agents[i].reasonOwed else { return [] }
        agents[i].reasonOwed = false
        guard agents[i].state == .wrapUp, now >= agents[i].wrapUpEnds else { return [.agentChanged(name)] }
        agents[i].state = .idle
        agents[i].idleSince = now
        return [.agentChanged(name)] + agentFreed(i, at: now)
    }

    /// A registering agent's phone registered (`contact`) or its registration ended or
    /// expired (nil). Returns nil for an agent the plan does not have or who does not
    /// register. Called by the controller for the registrar.
    public mutating func contactChanged(_ name: String, to contact: String?, at now: Duration) -> [RouterAction]? {
        guard let i = agentIndex[name], !agents[i].removed, agents[i].registers else { return nil }
        return change(i, at: now) { $0.contact = contact }
    }

    /// Applies a change to an agent and keeps the queues' counts, heaps and empty rules.
    private mutating func change(_ i: Int, at now: Duration, _ body: (inout AgentEntry) -> Void) -> [RouterAction] {
        let before = agents[i]
        body(&agents[i])
        agents[i].heldFor = nil  // decided again below if they are free
        let after = agents[i]
        var actions: [RouterAction] = [.agentChanged(after.name)]
        if before.isFree && !after.isFree { removeFree(i) }
        for m in after.memberships {
            queues[m.queue].staffed += (after.isStaffed ? 1 : 0) - (before.isStaffed ? 1 : 0)
            queues[m.queue].working += (after.isWorking ? 1 : 0) - (before.isWorking ? 1 : 0)
            if before.isStaffed && !after.isStaffed && queues[m.queue].staffed == 0 && queues[m.queue].definition.leaveEmpty {
                actions += emptyQueue(m.queue, at: now)
            }
        }
        if !before.isFree && after.isFree {
            agents[i].idleSince = max(agents[i].idleSince, now)
            actions += agentFreed(i, at: now)
        }
        return actions
    }

    /// `leave-empty yes` and nobody left who could take the calls: every caller goes to
    /// `on-empty`.
    private mutating func emptyQueue(_ q: Int, at now: Duration) -> [RouterAction] {
        let name = queues[q].definition.name.value
        let target = queues[q].definition.onEmpty.value
        var actions: [RouterAction] = []
        for (call, caller) in callers.filter({ $0.value.queue == q && !$0.value.isCallback }).sorted(by: { $0.value.key < $1.value.key }) {
            queues[q].stats.sentOnEmpty += 1
            actions += removeCaller(call, at: now) + [.finished(call, queue: name, .empty(to: target, wait: now - caller.joinedAt))]
        }
        return actions
    }

    /// Agent `i` is free now: the caller who has waited longest (weighed by priority) among
    /// every queue and tier that admits them is offered to them; with none, they join the
    /// free heaps.
    mutating func agentFreed(_ i: Int, at now: Duration) -> [RouterAction] {
        guard agents[i].isFree else { return [] }
        // Repeat callers waiting for this agent come first.
        while let call = reserved[i]?.first {
            reserved[i]!.removeFirst()
            guard var caller = callers[call], caller.preferred == i, caller.offered.isEmpty else { continue }
            caller.offered = [i]
            callers[call] = caller
            return offer(call, to: [i], queue: caller.queue)
        }
        var best: (key: WaitKey, call: CallHandle, queue: Int)?
        for m in agents[i].memberships {
            for t in m.tier..<queues[m.queue].tiers.count {
                guard let head = queues[m.queue].waiting[t].first else { continue }
                if best == nil || head.key < best!.key { best = (head.key, head.id, m.queue) }
            }
        }
        // An older caller waiting on another node (one line across the cluster): that node
        // offers them this agent; not offered from here meanwhile.
        if let other = bestRemote(for: i, at: now), best.map({ other.rankAt < $0.key.effectiveArrival }) ?? true {
            agents[i].heldFor = other.id
            return [.heldForAnotherNode(agent: agents[i].name, caller: other.id)]
        }
        guard let best, var caller = callers[best.call] else {
            insertFree(i)
            return []
        }
        queues[best.queue].waiting[caller.tier].remove(best.call)
        caller.offered = [i]
        callers[best.call] = caller
        return offer(best.call, to: [i], queue: best.queue)
    }

    /// A timer the engine started fired. Called by the controller.
    public mutating func timerFired(_ timer: RouterTimer, at now: Duration) -> [RouterAction] {
        switch timer {
        case .wrapUpEnds(let name):
            // An agent who owes the call's reason stays in wrap-up until they give it.
            guard let i = agentIndex[name], agents[i].state == .wrapUp, !agents[i].reasonOwed else { return [] }
            agents[i].state = .idle
            agents[i].idleSince = now
            return [.agentChanged(name)] + agentFreed(i, at: now)
        case .holdBackEnds(let name):
            guard let i = agentIndex[name], agents[i].heldBackUntil != nil else { return [] }
            agents[i].heldBackUntil = nil
            return [.agentChanged(name)] + agentFreed(i, at: now)
        default:
            return callerTimerFired(timer, at: now)
        }
    }
}
