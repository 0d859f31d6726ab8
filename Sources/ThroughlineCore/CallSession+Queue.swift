/// The queue part of a call's life: the caller waits with music and announcements while the
/// `QueueRouter` (run by the switchboard) decides which agents to ring; this machine rings
/// them, bridges the first to answer and reports back with `QueueReport`s.
extension CallSession {
    /// Where a queue offer's legs number from, apart from hunts' (leg ids are still one number
    /// space per call; timers are typed by `CallTimer`).
    static let queueLegBase: UInt32 = 100_000

    /// Routed to a queue: "please hold" then the queue's music; the controller joins the
    /// caller to the router.
    mutating func joinQueue(_ name: String, at now: Duration) -> [Action] {
        guard let queue = plan.queue(name) else {
            return [note(.queue("queue \(name) is not in this call's plan"), at: now)] + go(.hangup, at: now)
        }
        var actions = releaseHold()
        var wait = QueueWait(name: name, hold: Hold(music: queue.music?.value ?? holdMusic))
        actions += startCallbackOfferTimer(queue, &wait)
        stage = .queued(wait)
        actions.append(note(.queue("queue \(name): joined"), at: now))
        actions += playPleaseHold(at: now)
        return actions + [.queue(.join(queue))]
    }

    /// The router offers the caller to these agents: their phones ring (the caller keeps
    /// hearing the queue's music) for `ring`. Called by the switchboard.
    public mutating func queueOffer(_ offers: [RouterAction.Offer], ring: Duration, at now: Duration) -> [Action] {
        guard case .queued = stage, case .queued(var wait) = takeStage() else { return offers.map { .queue(.failed(agent: $0.agent)) } }
        var actions: [Action] = []
        queueOffers += 1
        for offer in offers {
            queueLegCount += 1
            let leg = LegID(call: handle, sequence: Self.queueLegBase + queueLegCount)
            wait.offers[leg] = offer.agent
            legs.live.insert(leg)
            actions.append(note(.queue("offered to \(offer.agent)"), at: now))
            actions.append(.dialLeg(leg, member: offer.agent, contact: offer.contact))
        }
        let timer = CallTimer.queueRing(handle, offer: queueOffers)
        if let old = wait.ringTimer { actions.append(.cancelTimer(old)) }
        wait.ringTimer = timer
        wait.offeredAt = now
        stage = .queued(wait)
        return actions + [.startTimer(timer, after: ring)]
    }

    /// Tell the caller their place (and the expected wait, when the router trusts it), between
    /// two loops of music. Called by the switchboard.
    public mutating func queueAnnounce(position: Int, estimatedWait: Duration?, at now: Duration) -> [Action] {
        guard case .queued(var wait) = stage else { return [] }
        var prompts = ["position-is"] + SpokenNumber.number(min(position, 999_999)) + ["in-queue"]
        if let estimate = estimatedWait {
            let minutes = max(1, Int((estimate.components.seconds + 59) / 60))
            prompts += ["wait-about"] + SpokenNumber.number(min(minutes, 999_999)) + [minutes == 1 ? "minute" : "minutes"]
        }
        guard wait.capture == nil else { return [] }  // keying a call-back number: no announcement
        if wait.callbackOffered, let queue = plan.queue(wait.name) { prompts += callbackOfferPrompts(queue) }
        if wait.hold.interlude != nil {
            wait.hold.waiting.append(prompts)
            stage = .queued(wait)
            return []
        }
        return releaseHold() + playInterlude(prompts, at: now)
    }

    /// The router says the caller's time in the queue is over. Overflow and empty-queue
    /// outcomes move the caller on. Called by the switchboard.
    public mutating func queueFinished(_ queue: String, _ outcome: QueueOutcome, at now: Duration) -> [Action] {
        self.outcome = .queue(queue, outcome)
        var actions = [note(.queue(self.outcome.description), at: now)]
        switch outcome {
        case .answered, .abandoned:
            return actions
        case .overflowed(let target, _), .empty(let target, _):
            guard case .queued = stage else { return actions }
            actions += leaveQueue(dropping: true)
            actions += releaseHold()
            return actions + go(target, at: now)
        }
    }

    mutating func queueLegAnswered(_ leg: LegID, at now: Duration) -> [Action] {
        guard case .queued(var wait) = stage, let agent = wait.offers.removeValue(forKey: leg) else { return [.dropLeg(leg)] }
        stage = .queued(wait)
        var actions = leaveQueue(dropping: true)
        actions += releaseHold()
        stage = .connected(Connection(member: agent, leg: leg, viaQueue: true))
        actions.append(note(.queue("\(agent) answered"), at: now))
        actions.append(.queue(.answered(agent: agent)))
        return actions + bridge(leg)
    }

    /// A queue leg failed (its offer's entry already removed): the router hears so; the ring
    /// timer stops when no offer rings any more.
    mutating func queueLegFailed(_ agent: String, code: Int, reason: String, at now: Duration) -> [Action] {
        var actions = [note(.queue("\(agent): \(code) \(reason)"), at: now)]
        if case .queued(var wait) = stage, wait.offers.isEmpty, let timer = wait.ringTimer {
            actions.append(.cancelTimer(timer))
            wait.ringTimer = nil
            stage = .queued(wait)
        }
        return actions + [.queue(.failed(agent: agent))]
    }

    /// Nobody took the offer within the queue's `ring`: every ringing phone gets CANCEL.
    mutating func queueRingOut(at now: Duration) -> [Action] {
        guard case .queued = stage, case .queued(var wait) = takeStage() else { return [] }
        wait.ringTimer = nil
        var actions: [Action] = []
        for (leg, agent) in wait.offers.sorted(by: { $0.key.sequence < $1.key.sequence }) {
            legs.live.remove(leg)
            actions.append(.dropLeg(leg))
            actions.append(note(.queue("\(agent) did not answer"), at: now))
            actions.append(.queue(.rangOut(agent: agent, after: now - wait.offeredAt)))
        }
        wait.offers.removeAll()
        stage = .queued(wait)
        return actions
    }

    /// Ends the queue's offers: the ring timer, and (when `dropping`) the ringing legs.
    /// Without dropping, the legs are left to `dropEveryLeg`.
    mutating func leaveQueue(dropping: Bool = false) -> [Action] {
        guard case .queued = stage, case .queued(var wait) = takeStage() else { return [] }
        var actions: [Action] = []
        if let timer = wait.ringTimer {
            actions.append(.cancelTimer(timer))
            wait.ringTimer = nil
        }
        if let timer = wait.callbackOfferTimer {
            actions.append(.cancelTimer(timer))
            wait.callbackOfferTimer = nil
        }
        if let capture = wait.capture {
            if let playing = capture.playback { actions.append(.telephony(.stopPlayback(handle, playing))) }
            if let timer = capture.timer { actions.append(.cancelTimer(timer)) }
            wait.capture = nil
        }
        if dropping {
            for leg in wait.offers.keys.sorted(by: { $0.sequence < $1.sequence }) where legs.live.remove(leg) != nil {
                actions.append(.dropLeg(leg))
            }
        }
        wait.offers.removeAll()
        stage = .queued(wait)
        return actions
    }

    /// After "please hold" or an announcement: the next announcement, or the music.
    mutating func nextInterlude() -> [Action] {
        guard var h = hold else { return [] }
        guard !h.waiting.isEmpty else { return startMusic() }
        let prompts = h.waiting.removeFirst()
        let playback = nextPlayback()
        h.interlude = playback
        hold = h
        return [.telephony(.play(handle, prompts: prompts.map(path(of:)), playback: playback, loop: false))]
    }

    private mutating func playInterlude(_ prompts: [String], at now: Duration) -> [Action] {
        let playback = nextPlayback()
        hold?.interlude = playback
        return [note(.prompt(prompts), at: now), .telephony(.play(handle, prompts: prompts.map(path(of:)), playback: playback, loop: false))]
    }
}
