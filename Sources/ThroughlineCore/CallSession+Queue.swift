/// The queue part of a call's life: the caller waits with music and announcements while the
/// `QueueRouter` (run by the controller) decides which agents to ring; this machine rings
/// them, bridges the first to answer and reports back with `QueueReport`s.
extension CallSession {
    /// Where a queue offer's legs number from, apart from hunts' (leg ids are still one number
    /// space per call; timers are typed by `CallTimer`).
    static let queueLegBase: UInt32 = 100_000

    /// Routed to a queue: "please hold" then the queue's music; the controller joins the
    /// caller to the router.
    mutating func joinQueue(_ name: String, at now: Duration) -> [Action] {
        guard let queue = ivr.plan.queue(name) else {
            return [note(.queue("queue \(name) is not in this call's plan"), at: now)] + go(.hangup, at: now)
        }
        var actions = releaseHold()
        state = .queued(name)
        music = queue.music?.value ?? holdMusic
        interludes = []
        actions.append(note(.queue("queue \(name): joined"), at: now))
        actions += playPleaseHold(at: now)
        return actions + [.queue(.join(queue))]
    }

    /// The router offers the caller to these agents: their phones ring (the caller keeps
    /// hearing the queue's music) for `ring`. Called by the controller.
    public mutating func queueOffer(_ offers: [RouterAction.Offer], ring: Duration, at now: Duration) -> [Action] {
        guard case .queued = state else { return offers.map { .queue(.failed(agent: $0.agent)) } }
        var actions: [Action] = []
        queueOffers += 1
        for offer in offers {
            queueLegCount += 1
            let leg = LegID(call: handle, sequence: Self.queueLegBase + queueLegCount)
            queueLegs[leg] = offer.agent
            liveLegs.insert(leg)
            actions.append(note(.queue("offered to \(offer.agent)"), at: now))
            actions.append(.dialLeg(leg, member: offer.agent, contact: offer.contact))
        }
        let timer = CallTimer.queueRing(handle, offer: queueOffers)
        if let old = queueRingTimer { actions.append(.cancelTimer(old)) }
        queueRingTimer = timer
        return actions + [.startTimer(timer, after: ring)]
    }

    /// Tell the caller their place (and the expected wait, when the router trusts it), between
    /// two loops of music. Called by the controller.
    public mutating func queueAnnounce(position: Int, estimatedWait: Duration?, at now: Duration) -> [Action] {
        guard case .queued = state else { return [] }
        var prompts = ["position-is"] + SpokenNumber.number(min(position, 999_999)) + ["in-queue"]
        if let wait = estimatedWait {
            let minutes = max(1, Int((wait.components.seconds + 59) / 60))
            prompts += ["wait-about"] + SpokenNumber.number(min(minutes, 999_999)) + [minutes == 1 ? "minute" : "minutes"]
        }
        if pleaseHold != nil {
            interludes.append(prompts)
            return []
        }
        return releaseHold() + playInterlude(prompts, at: now)
    }

    /// The router says the caller's time in the queue is over. Overflow and empty-queue
    /// outcomes move the caller on. Called by the controller.
    public mutating func queueFinished(_ queue: String, _ outcome: QueueOutcome, at now: Duration) -> [Action] {
        self.outcome = .queue(queue, outcome)
        var actions = [note(.queue(self.outcome.description), at: now)]
        switch outcome {
        case .answered, .abandoned:
            return actions
        case .overflowed(let target, _), .empty(let target, _):
            guard case .queued = state else { return actions }
            actions += leaveQueue(dropping: true)
            actions += releaseHold()
            interludes = []
            return actions + go(target, at: now)
        }
    }

    func isQueueLeg(_ leg: LegID) -> Bool { queueLegs[leg] != nil }

    mutating func queueLegAnswered(_ leg: LegID, at now: Duration) -> [Action] {
        guard let agent = queueLegs.removeValue(forKey: leg), case .queued = state else { return [.dropLeg(leg)] }
        var actions = leaveQueue(dropping: true)
        state = .connected(member: agent, leg: leg)
        queueAgent = agent
        interludes = []
        actions += releaseHold()
        actions.append(note(.queue("\(agent) answered"), at: now))
        actions.append(.queue(.answered(agent: agent)))
        return actions + bridge(leg)
    }

    mutating func queueLegFailed(_ agent: String, code: Int, reason: String, at now: Duration) -> [Action] {
        var actions = [note(.queue("\(agent): \(code) \(reason)"), at: now)]
        if queueLegs.isEmpty, let timer = queueRingTimer {
            actions.append(.cancelTimer(timer))
            queueRingTimer = nil
        }
        return actions + [.queue(.failed(agent: agent))]
    }

    /// Nobody took the offer within the queue's `ring`: every ringing phone gets CANCEL.
    mutating func queueRingOut(at now: Duration) -> [Action] {
        queueRingTimer = nil
        var actions: [Action] = []
        for (leg, agent) in queueLegs.sorted(by: { $0.key.sequence < $1.key.sequence }) {
            liveLegs.remove(leg)
            actions.append(.dropLeg(leg))
            actions.append(note(.queue("\(agent) did not answer"), at: now))
            actions.append(.queue(.failed(agent: agent)))
        }
        queueLegs.removeAll()
        return actions
    }

    /// Ends the queue's offers: the ring timer, and (when `dropping`) the ringing legs.
    /// Without dropping, the legs are left to `dropEveryLeg`.
    mutating func leaveQueue(dropping: Bool = false) -> [Action] {
        var actions: [Action] = []
        if let timer = queueRingTimer {
            actions.append(.cancelTimer(timer))
            queueRingTimer = nil
        }
        if dropping {
            for leg in queueLegs.keys.sorted(by: { $0.sequence < $1.sequence }) where liveLegs.remove(leg) != nil {
                actions.append(.dropLeg(leg))
            }
        }
        queueLegs.removeAll()
        return actions
    }

    /// The call with a queue agent is over for the agent: they go to wrap-up.
    mutating func releaseQueueAgent() -> [Action] {
        guard queueAgent != nil else { return [] }
        queueAgent = nil
        return [.queue(.released)]
    }

    /// After "please hold" or an announcement: the next announcement, or the music.
    mutating func nextInterlude() -> [Action] {
        guard !interludes.isEmpty else { return startMusic() }
        let prompts = interludes.removeFirst()
        let playback = nextPlayback()
        pleaseHold = playback
        return [.telephony(.play(handle, prompts: prompts.map(path(of:)), playback: playback, loop: false))]
    }

    private mutating func playInterlude(_ prompts: [String], at now: Duration) -> [Action] {
        let playback = nextPlayback()
        pleaseHold = playback
        return [note(.prompt(prompts), at: now), .telephony(.play(handle, prompts: prompts.map(path(of:)), playback: playback, loop: false))]
    }
}
