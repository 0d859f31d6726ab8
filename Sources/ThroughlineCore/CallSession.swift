/// One call's life as the switchboard runs it: answered, put through the plan's menus by an
/// `IVRSession`; a hunt outcome rings agents with a `HuntSession` (the caller hears ringback
/// or music) and bridges the winner (`CallSession+Hunt.swift`); a queue outcome joins the
/// `QueueRouter` (through the switchboard), plays the queue's music and announcements and
/// rings the agents the router offers (`CallSession+Queue.swift`); a reference outcome has
/// the caller key one (`CallSession+Reference.swift`); an agent may send the caller on
/// (`CallSession+Transfer.swift`); `hangup` ends it after goodbye.
///
/// A value-type state machine: inputs are events with the time since the call arrived; it
/// returns actions. Each stage's data lives in its `Stage` case; what outlives a stage (the
/// path, the outcome, the legs, id counters) is stored beside it. The plan (and its prompt
/// folder) is fixed when the call arrives, so a reload never changes a call in progress.
public struct CallSession: Sendable {
    /// What the call is doing, without the stage's data (`state`).
    public enum State: Sendable, Equatable {
        case answering
        case inMenus
        /// A hunt group is ringing agents for the caller.
        case ringingAgents(hunt: String)
        /// Bridged to an agent's leg.
        case connected(member: String, leg: LegID)
        /// The agent asked (REFER) to transfer the caller; waiting for the referred call.
        case transferring(member: String, leg: LegID, target: String)
        /// Waiting in a queue (music, announcements), perhaps with agents' phones ringing.
        case queued(String)
        /// The caller is keying a reference (`-> reference`), or it is being looked up.
        case keyingReference
        case hangingUp
        case ended(code: Int)
    }

    public enum Action: Sendable, Equatable {
        case telephony(TelephonyCommand)
        case startTimer(CallTimer, after: Duration)
        case cancelTimer(CallTimer)
        /// A step of the caller's path, for the call's records.
        case step(IVRStep)
        /// An IVR run ended.
        case outcome(IVROutcome)
        /// A hunt ended.
        case huntOutcome(HuntOutcome)
        /// A key already counted by its other method (RFC 4733 and SIP INFO for one press).
        case duplicateKey(DTMFDigit, DTMFMethod)
        /// Ring an agent: the controller names the leg's call and sends the INVITE. An empty
        /// contact means the agent's current registration.
        case dialLeg(LegID, member: String, contact: String)
        /// CANCEL a ringing leg, or BYE an answered one.
        case dropLeg(LegID)
        /// Connect the caller and the leg, both ways.
        case bridgeLeg(LegID)
        /// Tell the queue engine (through the controller) what happened to this caller.
        case queue(QueueReport)
        /// Look a keyed reference up; the controller answers with `referenceLookedUp`.
        case lookupReference(ReferenceNumber)
    }

    public let handle: CallHandle
    /// The plan the call arrived on; a reload never changes it.
    public let plan: Dialplan
    /// Where its prompts' files are: the plan's folder, then the shipped pack.
    public let prompts: PromptLibrary
    /// Hold music when no queue or hunt names its own.
    public let holdMusic: String
    /// The call's reference, for menus that read it out.
    let reference: String?
    /// The caller's number (From's user part), offered for a call back.
    var caller = ""
    var stage: Stage
    /// The caller's whole path, in order: menus, keys, hunts, holds.
    public internal(set) var path: [IVRStep] = []
    /// How the call ended up, for its record: the last of the IVR's outcome, a hunt's
    /// outcome, a queue's, or a transfer.
    public internal(set) var outcome: CallOutcome = .none
    private var lastKey: (digit: DTMFDigit, method: DTMFMethod, at: Duration)?
    /// Playbacks outside a menu run (hold music, "please hold", announcements, reference
    /// prompts) number from here; each menu run takes a block of its own (`nextIVRPlayback`).
    var nextHoldSequence: UInt32 = 1_000_000
    /// Hunts this call has been through: each numbers its legs and timers apart.
    var hunts = 0
    /// Queue offers and queue legs this call has had, in every queue it waited in: leg ids
    /// and ring timers are never reused within a call.
    var queueOffers: UInt32 = 0
    var queueLegCount: UInt32 = 0
    /// Key waits while confirming a call-back number: their timers are never reused.
    var callbackEntries: UInt32 = 0
    var legs = CallLegs()
    /// How long a transferring agent's phone may stay up after the NOTIFY 200 before it is
    /// hung up from here.
    public static let transferGrace: Duration = .seconds(5)

    /// The most hunts one call goes through (hunts whose on-no-answer leads to each other).
    public static let maxHunts = 8
    public static let duplicateWindow: Duration = .milliseconds(400)

    /// The machine for an arriving call on `route` of `plan`, and the command answering it.
    public static func start(
        _ handle: CallHandle, plan: Dialplan, route: Route, prompts: PromptLibrary, reference: String? = nil, farewell: [String] = [],
        caller: String = ""
    ) -> (CallSession, [Action]) {
        let ivr = IVRSession(plan: plan, call: handle, entry: route.target.value, reference: reference, farewell: farewell)
        var session = CallSession(handle: handle, plan: plan, prompts: prompts, holdMusic: plan.settings.music.value,
                                  reference: reference, stage: .answering(ivr))
        session.caller = caller
        return (session, [.telephony(.answer(handle, code: 200))])
    }

    private init(handle: CallHandle, plan: Dialplan, prompts: PromptLibrary, holdMusic: String, reference: String?, stage: Stage) {
        self.handle = handle
        self.plan = plan
        self.prompts = prompts
        self.holdMusic = holdMusic
        self.reference = reference
        self.stage = stage
    }

    public var isEnded: Bool {
        if case .ended = stage { return true }
        return false
    }

    public func path(of prompt: String) -> String { prompts.path(of: prompt) }

    /// Media is up: the menus start.
    public mutating func mediaActive(at now: Duration) -> [Action] {
        guard case .answering(let ivr) = stage else { return [] }
        stage = .inMenus(ivr)
        return run(at: now) { $0.start(at: now) }
    }

    /// A playback ended: its player is released, and the IVR or the hold sequence goes on.
    public mutating func promptFinished(_ playback: PlaybackID, at now: Duration) -> [Action] {
        var actions: [Action] = [.telephony(.stopPlayback(handle, playback))]
        switch stage {
        case .inMenus:
            actions += run(at: now) { $0.promptFinished(playback, at: now) }
        case .queued(var q) where playback == q.hold.interlude:
            q.hold.interlude = nil
            stage = .queued(q)
            actions += nextInterlude()
        case .queued(let q) where playback == q.capture?.playback:
            actions += capturePromptFinished(at: now)
        case .keyingReference:
            actions += referencePromptFinished(playback, at: now)
        default:
            break
        }
        return actions
    }

    /// A key arrived. A phone that sends each key both as RFC 4733 and as SIP INFO would
    /// otherwise press it twice: the same key by the other method within
    /// `duplicateWindow` of the last is taken as the same press and dropped.
    public mutating func digitReceived(_ digit: DTMFDigit, method: DTMFMethod, at now: Duration) -> [Action] {
        if let last = lastKey, last.digit == digit, last.method != method, now - last.at < Self.duplicateWindow {
            return [.duplicateKey(digit, method)]
        }
        lastKey = (digit, method, now)
        switch stage {
        case .keyingReference: return referenceDigit(digit, at: now)
        case .inMenus: return run(at: now) { $0.digitReceived(digit, at: now) }
        case .queued: return queueDigit(digit, at: now)
        default: return []
        }
    }

    /// A timer this call started fired; each kind goes to the stage that started it, and only
    /// while that stage still holds it.
    public mutating func timerFired(_ timer: CallTimer, at now: Duration) -> [Action] {
        switch (timer, stage) {
        case (.transferDrop, _):
            guard timer == legs.transferDropTimer, let leg = legs.transferred else { return [] }
            legs.transferDropTimer = nil
            return legs.live.remove(leg) != nil ? [.dropLeg(leg)] : []
        case (.menu(let t), .inMenus):
            return run(at: now) { $0.timerFired(t, at: now) }
        case (.hunt(let run, let t), .ringing(let r)) where run == r.run:
            return runHunt(at: now) { $0.timerFired(t, at: now) }
        case (.queueRing, .queued(let q)) where timer == q.ringTimer:
            return queueRingOut(at: now)
        case (.callbackOffer, .queued(let q)) where timer == q.callbackOfferTimer:
            return offerCallback(at: now)
        case (.callbackEntry, .queued(let q)) where timer == q.capture?.timer:
            return callbackEntryTimedOut(at: now)
        case (.referenceEntry, .keyingReference):
            return referenceTimerFired(timer, at: now)
        default:
            return []
        }
    }

    // MARK: agent legs

    /// A leg's phone answered: a queue offer, a hunt's member, or a phone that answered too
    /// late for a hunt already won (it is dropped).
    public mutating func legAnswered(_ leg: LegID, at now: Duration) -> [Action] {
        switch stage {
        case .queued(let q) where q.offers[leg] != nil: return queueLegAnswered(leg, at: now)
        case .ringing: return runHunt(at: now) { $0.legAnswered(leg, at: now) }
        default: return [.dropLeg(leg)]
        }
    }

    /// A leg's media is up (its SDP answer arrived).
    public mutating func legMediaActive(_ leg: LegID, at now: Duration) -> [Action] {
        legs.withMedia.insert(leg)
        guard legs.bridgePending == leg else { return [] }
        legs.bridgePending = nil
        return [.bridgeLeg(leg)]
    }

    /// A leg ended: a failure while ringing, or the agent hanging up once connected.
    public mutating func legEnded(_ leg: LegID, code: Int, reason: String, at now: Duration) -> [Action] {
        legs.live.remove(leg)
        legs.withMedia.remove(leg)
        if leg == legs.transferred {
            legs.transferred = nil
            let timer = legs.transferDropTimer
            legs.transferDropTimer = nil
            return timer.map { [.cancelTimer($0)] } ?? []
        }
        if case .transferring(let connection, _) = stage, connection.leg == leg {
            stage = .connected(connection)
        }
        switch stage {
        case .connected(let connection) where connection.leg == leg:
            let hungUp = note(.hunt("\(connection.member) hung up"), at: now)
            let released = releaseQueueAgent()
            stage = .hangingUp
            return [hungUp, .telephony(.hangup(handle, code: 200))] + released
        case .queued(var q):
            guard let agent = q.offers.removeValue(forKey: leg) else { return [] }
            stage = .queued(q)
            return queueLegFailed(agent, code: code, reason: reason, at: now)
        case .ringing:
            return runHunt(at: now) { $0.legFailed(leg, code: code, reason: reason, at: now) }
        default:
            return []
        }
    }

    /// The caller's call is over, whoever ended it: release what is playing or pending, drop
    /// every leg (CANCEL the ringing, BYE the connected).
    public mutating func callEnded(code: Int, at now: Duration) -> [Action] {
        var actions: [Action] = []
        switch stage {
        case .inMenus: actions += run(at: now) { $0.callerHungUp(at: now) }
        case .ringing: actions += runHunt(at: now) { $0.callerHungUp(at: now) }
        case .queued: actions += leaveQueue() + [.queue(.released)]
        case .keyingReference: actions += leaveReferenceEntry()
        default: break
        }
        actions += releaseQueueAgent()
        actions += releaseHold()
        actions += dropEveryLeg()
        stage = .ended(code: code)
        return actions
    }

    /// The controller is stopping: stop everything and hang up.
    public mutating func shutdownRequested(at now: Duration) -> [Action] {
        var actions: [Action] = []
        switch stage {
        case .ended, .hangingUp:
            return []
        case .inMenus(var ivr):
            // End the IVR run quietly: its playback and timer are released.
            for action in ivr.callerHungUp(at: now) {
                switch action {
                case .stopPlayback(let p): actions.append(.telephony(.stopPlayback(handle, p)))
                case .cancelTimer(let t): actions.append(.cancelTimer(.menu(t)))
                default: break
                }
            }
            stage = .inMenus(ivr)
        case .ringing(var r):
            for action in r.hunt.callerHungUp(at: now) {
                if case .cancelTimer(let t) = action { actions.append(.cancelTimer(.hunt(run: r.run, t))) }
            }
            stage = .ringing(r)
        case .queued:
            actions += leaveQueue() + [.queue(.released)]
        case .keyingReference:
            actions += leaveReferenceEntry()
        default:
            break
        }
        actions += releaseQueueAgent()
        actions += releaseHold()
        actions += dropEveryLeg()
        stage = .hangingUp
        return actions + [.telephony(.hangup(handle, code: 503))]
    }

    // MARK: -

    /// Adds a step to the caller's path and returns the action that logs it.
    mutating func note(_ kind: IVRStep.Kind, at now: Duration) -> Action {
        let step = IVRStep(at: now, kind)
        path.append(step)
        return .step(step)
    }

    /// Every leg still up is dropped (CANCEL if ringing, BYE if answered); no transfer waits.
    mutating func dropEveryLeg() -> [Action] {
        var actions: [Action] = legs.live.sorted { $0.sequence < $1.sequence }.map { .dropLeg($0) }
        legs.live.removeAll()
        if let timer = legs.transferDropTimer {
            actions.append(.cancelTimer(timer))
            legs.transferDropTimer = nil
        }
        return actions
    }

    /// One input to the menu run, its actions translated; the run's verdict moves the call on.
    mutating func run(at now: Duration, _ input: (inout IVRSession) -> [IVRAction]) -> [Action] {
        guard case .inMenus = stage, case .inMenus(var ivr) = takeStage() else { return [] }
        let before = ivr.steps.count
        let ivrActions = input(&ivr)
        stage = .inMenus(ivr)
        let newSteps = ivr.steps[before...]
        path += newSteps
        var actions: [Action] = newSteps.map { .step($0) }
        for action in ivrActions {
            switch action {
            case .play(let prompts, let playback):
                actions.append(.telephony(.play(handle, prompts: prompts.map(path(of:)), playback: playback, loop: false)))
            case .stopPlayback(let playback):
                actions.append(.telephony(.stopPlayback(handle, playback)))
            case .startTimer(let timer, let after):
                actions.append(.startTimer(.menu(timer), after: after))
            case .cancelTimer(let timer):
                actions.append(.cancelTimer(.menu(timer)))
            case .finished(let outcome):
                actions.append(.outcome(outcome))
                // The goodbye after a call back was taken keeps that verdict.
                if case .callbackRequested = self.outcome {} else { self.outcome = .ivr(outcome) }
                actions += finished(outcome, at: now)
            }
        }
        return actions
    }

    private mutating func finished(_ outcome: IVROutcome, at now: Duration) -> [Action] {
        switch outcome {
        case .routed(let target):
            return go(target, at: now)
        case .hungUp:
            stage = .hangingUp
            return [.telephony(.hangup(handle, code: 200))]
        case .callerLeft:
            return []
        }
    }

    /// Where the caller goes: the IVR's routing, a hunt nobody answered, an overflow, a
    /// transfer, a found reference. Callers release the stage's hold first.
    mutating func go(_ target: Target, at now: Duration) -> [Action] {
        switch target {
        case .hunt(let name):
            return startHunt(name, at: now)
        case .queue(let name):
            return joinQueue(name, at: now)
        case .callback(let name):
            return joinQueue(name, at: now) + startCallbackCapture(at: now)
        case .reference:
            return enterReference(at: now)
        case .menu, .hangup, .repeatMenu, .back:
            // A fresh IVR run: a menu from its greeting, or goodbye and hang-up.
            let entry: Target = if case .menu = target { target } else { .hangup }
            stage = .inMenus(IVRSession(plan: plan, call: handle, entry: entry, reference: reference, playbackBase: nextIVRPlayback()))
            return run(at: now) { $0.start(at: now) }
        }
    }

    mutating func nextIVRPlayback() -> UInt32 {
        defer { nextHoldSequence += 1000 }
        return nextHoldSequence + 500
    }

    /// "Please hold" as the first interlude, before the music.
    mutating func playPleaseHold(at now: Duration) -> [Action] {
        let playback = nextPlayback()
        hold?.interlude = playback
        return [note(.prompt(["please-hold"]), at: now),
                .telephony(.play(handle, prompts: [path(of: "please-hold")], playback: playback, loop: false))]
    }

    /// The stage's music, on a loop.
    mutating func startMusic() -> [Action] {
        guard var h = hold else { return [] }
        let playback = nextPlayback()
        h.musicPlayback = playback
        hold = h
        return [.telephony(.play(handle, prompts: [path(of: h.music)], playback: playback, loop: true))]
    }

    /// Stops what the waiting caller hears (interlude and music).
    mutating func releaseHold() -> [Action] {
        guard var h = hold else { return [] }
        let actions = [h.interlude, h.musicPlayback].compactMap { $0 }.map { Action.telephony(.stopPlayback(handle, $0)) }
        h.interlude = nil
        h.musicPlayback = nil
        hold = h
        return actions
    }

    mutating func nextPlayback() -> PlaybackID {
        defer { nextHoldSequence += 1 }
        return PlaybackID(call: handle, sequence: nextHoldSequence)
    }

    /// Bridges the leg now if its media is up, or as soon as it is.
    mutating func bridge(_ leg: LegID) -> [Action] {
        if legs.withMedia.contains(leg) { return [.bridgeLeg(leg)] }
        legs.bridgePending = leg
        return []
    }

    /// The call with a queue's agent is over for the agent: they go to wrap-up. Called before
    /// the stage changes.
    mutating func releaseQueueAgent() -> [Action] {
        switch stage {
        case .connected(var c) where c.viaQueue:
            c.viaQueue = false
            stage = .connected(c)
        case .transferring(var c, let target) where c.viaQueue:
            c.viaQueue = false
            stage = .transferring(c, target: target)
        default:
            return []
        }
        return [.queue(.released)]
    }
}
