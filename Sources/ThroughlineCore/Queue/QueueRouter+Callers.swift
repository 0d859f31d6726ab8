extension QueueRouter {
    /// A caller routed to `queue` (its definition in the plan the call runs on) arrives with
    /// the priority of their route. Called by the controller when the call's machine joins
    /// the queue.
    /// A repeat caller names `lastAgent`: only that agent is offered the call for `preferFor`
    /// (whether or not the queue's skills admit them), then the queue's rules apply.
    /// A call back (`joinedAt`: when its caller first joined, on this engine's clock, perhaps
    /// before it started) takes its place among the callers by that time and priority; it
    /// hears no announcements, never overflows, and waits even in a queue nobody staffs.
    public mutating func callerJoined(_ call: CallHandle, queue definition: Queue, priority: Int, lastAgent: String? = nil,
                                      preferFor: Duration = .zero, callbackJoinedAt joinedAt: Duration? = nil,
                                      at now: Duration) -> [RouterAction] {
        let name = definition.name.value
        if queueIndex[name] == nil {
            // A queue of an older plan that the current plan dropped: it lives while used.
            queueIndex[name] = queues.count
            queues.append(QueueEntry(definition))
            let q = queues.count - 1
            for i in agents.indices where !agents[i].removed {
                guard let tier = queues[q].tiers.firstIndex(where: { $0.allSatisfy { (agents[i].skills[$0.skill] ?? 0) >= $0.minimum } })
                else { continue }
                let preferred = definition.prefer.filter { (agents[i].skills[$0.skill] ?? 0) >= $0.minimum }.count
                agents[i].memberships.append((q, tier, preferred))
                if agents[i].isStaffed { queues[q].staffed += 1 }
                if agents[i].isWorking { queues[q].working += 1 }
                if agents[i].isFree { queues[q].free[tier].insert(i, key: freeKey(i, queue: q, preferred: preferred)) }
            }
        }
        let q = queueIndex[name]!
        // Only the rules are copied: a copy of the queue entry would share its heaps, and the
        // insert below would then copy them whole.
        let rules = queues[q].definition
        if queues[q].staffed == 0 && !rules.joinEmpty && joinedAt == nil {
            queues[q].stats.sentOnEmpty += 1
            return [.finished(call, queue: name, .empty(to: rules.onEmpty.value, wait: .zero))]
        }
        joinSequence += 1
        waitingGeneration += 1
        let allowance = settings.priorityWeight * max(0, min(priority, 100))
        let joined = joinedAt ?? now
        callers[call] = CallerEntry(queue: q, joinedAt: joined, key: WaitKey(effectiveArrival: joined - allowance, sequence: joinSequence),
                                    isCallback: joinedAt != nil)
        var actions: [RouterAction] = []
        if joinedAt != nil {
            // Skill expansions already reached while the caller (then the call back) waited.
            if let step = rules.expansions.lastIndex(where: { $0.after <= now - joined }) { callers[call]!.tier = step + 1 }
            let tier = callers[call]!.tier
            if tier < rules.expansions.count {
                actions.append(.startTimer(.expand(call, step: tier + 1), after: rules.expansions[tier].after - (now - joined)))
            }
            return actions + matchCaller(call, at: now)
        }
        if let lastAgent, preferFor > .zero, let i = agentIndex[lastAgent], !agents[i].removed {
            callers[call]!.preferred = i
            actions.append(.startTimer(.preferenceEnds(call), after: preferFor))
        }
        if let first = rules.expansions.first { actions.append(.startTimer(.expand(call, step: 1), after: first.after)) }
        if let maxWait = rules.maxWait { actions.append(.startTimer(.maxWait(call), after: maxWait)) }
        actions += matchCaller(call, at: now)
        if let caller = callers[call], caller.offered.isEmpty, let every = rules.announcePosition {
            actions += announcement(call, at: now)
            actions.append(.startTimer(.announce(call), after: every))
        }
        return actions
    }

    /// The caller is done with the queue engine: they hung up while waiting or ringing
    /// (abandoned), or the call they had with a queue agent ended (either side hung up, or
    /// the agent transferred them): the agent goes to wrap-up. Called by the controller.
    public mutating func callReleased(_ call: CallHandle, at now: Duration) -> [RouterAction] {
        if let caller = callers[call] {
            let name = queues[caller.queue].definition.name.value
            let wait = now - caller.joinedAt
            queues[caller.queue].stats.abandoned += 1
            queues[caller.queue].stats.abandonedWait += wait
            return removeCaller(call, at: now) + [.finished(call, queue: name, .abandoned(wait: wait))]
        }
        guard let talk = talking.removeValue(forKey: call) else { return [] }
        let i = talk.agent
        let wrapUp = queueIndex[talk.queue].map { queues[$0].definition.wrapUp } ?? .zero
        if let q = queueIndex[talk.queue] {
            queues[q].handleTimes.append(now - talk.since + wrapUp)
            if queues[q].handleTimes.count > Self.handleSamples { queues[q].handleTimes.removeFirst() }
        }
        guard agents[i].state == .talking(call) else { return [] }
        let reasonRequired = queueIndex[talk.queue].map { queues[$0].definition.wrapUpReason } ?? false
        if wrapUp > .zero || reasonRequired {
            agents[i].state = .wrapUp
            agents[i].reasonOwed = reasonRequired
            agents[i].wrapUpEnds = now + wrapUp
            guard wrapUp > .zero else { return [.agentChanged(agents[i].name)] }  // until the reason
            return [.agentChanged(agents[i].name), .startTimer(.wrapUpEnds(agent: agents[i].name), after: wrapUp)]
        }
        agents[i].state = .idle
        agents[i].idleSince = now
        return [.agentChanged(agents[i].name)] + agentFreed(i, at: now)
    }

    /// A caller becomes a call back, or a call back leaves (placed and failed, cancelled,
    /// given up): out of the engine without an outcome (not an abandon), agents offered it
    /// released without penalty. Returns when it joined, or nil if it was not waiting.
    /// Called by the switchboard.
    public mutating func withdraw(_ call: CallHandle, at now: Duration) -> (joinedAt: Duration, actions: [RouterAction])? {
        guard let caller = callers[call] else { return nil }
        return (caller.joinedAt, removeCaller(call, at: now))
    }

    /// Takes the caller out of the engine: out of its heap, timers cancelled, ringing agents
    /// released without penalty (their legs are cancelled by the call).
    mutating func removeCaller(_ call: CallHandle, at now: Duration) -> [RouterAction] {
        guard let caller = callers.removeValue(forKey: call) else { return [] }
        waitingGeneration += 1
        queues[caller.queue].waiting[caller.tier].remove(call)
        var actions: [RouterAction] = [.cancelTimer(.maxWait(call)), .cancelTimer(.announce(call))]
        if let i = caller.preferred {
            reserved[i]?.removeAll { $0 == call }
            actions.append(.cancelTimer(.preferenceEnds(call)))
        }
        if caller.tier + 1 < queues[caller.queue].tiers.count { actions.append(.cancelTimer(.expand(call, step: caller.tier + 1))) }
        for i in caller.offered.sorted() where agents[i].state == .offered(call) {
            agents[i].state = .idle
            actions.append(.agentChanged(agents[i].name))
            actions += agentFreed(i, at: now)
        }
        return actions
    }

    /// Finds an agent for a caller who is not being offered: the lowest tier with a free
    /// agent (the best skilled first), its best by the strategy; every free eligible agent
    /// for `ring-all`. Files the caller in its tier's heap when there is none.
    mutating func matchCaller(_ call: CallHandle, at now: Duration) -> [RouterAction] {
        guard var caller = callers[call], caller.offered.isEmpty else { return [] }
        let q = caller.queue
        if let i = caller.preferred {
            guard agents[i].isFree else {
                if !(reserved[i]?.contains(call) ?? false) { reserved[i, default: []].append(call) }
                return []
            }
            caller.offered = [i]
            callers[call] = caller
            return offer(call, to: [i], queue: q)
        }
        var chosen: [Int] = []
        if queues[q].definition.strategy == .ringAll {
            for t in 0...caller.tier { chosen += queues[q].free[t].members.map(\.id) }
            chosen.sort()
        } else {
            for t in 0...caller.tier {
                let pick = queues[q].definition.strategy == .random ? pickRandom(queue: q, tier: t) : queues[q].free[t].first?.id
                if let pick {
                    chosen = [pick]
                    break
                }
            }
        }
        guard !chosen.isEmpty else {
            queues[q].waiting[caller.tier].insert(call, key: caller.key)
            return []
        }
        queues[q].waiting[caller.tier].remove(call)
        caller.offered = Set(chosen)
        callers[call] = caller
        return offer(call, to: chosen, queue: q)
    }

    /// Rings `chosen` for the caller: they leave every free heap.
    mutating func offer(_ call: CallHandle, to chosen: [Int], queue q: Int) -> [RouterAction] {
        var offers: [RouterAction.Offer] = []
        var actions: [RouterAction] = []
        offerSequence += 1
        waitingGeneration += 1
        for i in chosen {
            removeFree(i)
            agents[i].heldFor = nil
            agents[i].state = .offered(call)
            agents[i].lastOffered[queues[q].definition.name.value] = offerSequence
            offers.append(.init(agent: agents[i].name, contact: agents[i].contact ?? ""))
            actions.append(.agentChanged(agents[i].name))
        }
        return [.offer(call, offers, ring: queues[q].definition.ring)] + actions
    }

    /// A caller's timer fired.
    mutating func callerTimerFired(_ timer: RouterTimer, at now: Duration) -> [RouterAction] {
        switch timer {
        case .expand(let call, let step):
            guard var caller = callers[call], step < queues[caller.queue].tiers.count, step > caller.tier else { return [] }
            let q = caller.queue
            queues[q].waiting[caller.tier].remove(call)
            caller.tier = step
            callers[call] = caller
            var actions: [RouterAction] = []
            if step < queues[q].definition.expansions.count {
                let next = queues[q].definition.expansions[step]
                actions.append(.startTimer(.expand(call, step: step + 1), after: next.after - (now - caller.joinedAt)))
            }
            return actions + matchCaller(call, at: now)
        case .maxWait(let call):
            guard let caller = callers[call], let target = queues[caller.queue].definition.maxWaitTarget?.value else { return [] }
            let name = queues[caller.queue].definition.name.value
            queues[caller.queue].stats.overflowed += 1
            return removeCaller(call, at: now) + [.finished(call, queue: name, .overflowed(to: target, wait: now - caller.joinedAt))]
        case .announce(let call):
            guard let caller = callers[call], let every = queues[caller.queue].definition.announcePosition else { return [] }
            return announcement(call, at: now) + [.startTimer(.announce(call), after: every)]
        case .preferenceEnds(let call):
            guard var caller = callers[call], let i = caller.preferred else { return [] }
            caller.preferred = nil
            callers[call] = caller
            waitingGeneration += 1
            reserved[i]?.removeAll { $0 == call }
            return matchCaller(call, at: now)
        default:
            return []
        }
    }

    /// Position (1 is next) among the queue's callers not yet ringing an agent, and the
    /// expected wait: position × mean recent handle time ÷ agents available for the queue,
    /// said only with at least `minimumSamples` handle times and one available agent. No
    /// announcement while an agent's phone rings for the caller.
    mutating func announcement(_ call: CallHandle, at now: Duration) -> [RouterAction] {
        guard let caller = callers[call], caller.offered.isEmpty else { return [] }
        let entry = queues[caller.queue]
        var ahead = 0
        for heap in entry.waiting { ahead += heap.members.reduce(0) { $0 + ($1.key < caller.key ? 1 : 0) } }
        let position = ahead + 1
        var estimate: Duration?
        if entry.handleTimes.count >= Self.minimumSamples, entry.working > 0 {
            let mean = entry.handleTimes.reduce(Duration.zero, +) / entry.handleTimes.count
            estimate = mean * position / entry.working
        }
        return [.announce(call, position: position, estimatedWait: estimate)]
    }
}
