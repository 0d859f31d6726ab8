/// One call's life as the controller runs it: answered, put through the plan's menus by an
/// `IVRSession`; a hunt outcome rings agents with a `HuntSession` (the caller hears ringback
/// or music) and bridges the winner; a queue outcome joins the `QueueRouter` (through the
/// controller), plays the queue's music and announcements and rings the agents the router
/// offers (`CallSession+Queue.swift`); a reference outcome has the caller key one
/// (`CallSession+Reference.swift`); `hangup` ends it after goodbye.
///
/// A value-type state machine: inputs are events with the time since the call arrived; it
/// returns actions. The plan (and its prompt folder) is fixed when the call arrives, so a
/// reload never changes a call in progress.
public struct CallSession: Sendable {
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
    public let promptsFolder: String
    /// Hold music when no queue or hunt names its own.
    public let holdMusic: String
    public internal(set) var state: State = .answering
    public private(set) var ivr: IVRSession
    public private(set) var hunt: HuntSession?
    /// The caller's whole path, in order: menus, keys, hunts, holds.
    public internal(set) var path: [IVRStep] = []
    var holdPlayback: PlaybackID?
    var pleaseHold: PlaybackID?
    var music = ""
    private var lastKey: (digit: DTMFDigit, method: DTMFMethod, at: Duration)?
    var nextHoldSequence: UInt32 = 1_000_000  // IVR playbacks count from 0
    private var hunts = 0
    /// The answered leg waiting for its media before the bridge, and legs whose media is up.
    var bridgePending: LegID?
    var legsWithMedia = Set<LegID>()
    /// Legs dialled and not yet ended (ringing or connected).
    public internal(set) var liveLegs = Set<LegID>()
    /// Queue offers ringing now: each leg and its agent.
    public internal(set) var queueLegs: [LegID: String] = [:]
    var queueRingTimer: CallTimer?
    var queueOffers: UInt32 = 0
    var queueLegCount: UInt32 = 0
    /// The queue agent the caller is connected to; released to the queue engine when the
    /// call with them ends.
    var queueAgent: String?
    /// Announcements waiting for the current one (or "please hold") to end.
    var interludes: [[String]] = []
    /// Keying a reference: what is keyed so far, the tries, the prompt and timer running.
    public internal(set) var referenceEntry = ReferenceEntry()
    /// A leg whose agent transferred the caller away: its end no longer ends the call.
    var transferredLeg: LegID?
    var transferDropTimer: CallTimer?
    /// How long a transferring agent's phone may stay up after the NOTIFY 200 before it is
    /// hung up from here.
    public static let transferGrace: Duration = .seconds(5)

    /// The most hunts one call goes through (hunts whose on-no-answer leads to each other).
    public static let maxHunts = 8
    public static let duplicateWindow: Duration = .milliseconds(400)

    /// The machine for an arriving call on `route` of `plan`, and the command answering it.
    public static func start(
        _ handle: CallHandle, plan: Dialplan, route: Route, promptsFolder: String, reference: String? = nil, farewell: [String] = []
    ) -> (CallSession, [Action]) {
        let session = CallSession(
            handle: handle, promptsFolder: promptsFolder, holdMusic: plan.settings.music.value,
            ivr: IVRSession(plan: plan, call: handle, entry: route.target.value, reference: reference, farewell: farewell))
        return (session, [.telephony(.answer(handle, code: 200))])
    }

    private init(handle: CallHandle, promptsFolder: String, holdMusic: String, ivr: IVRSession) {
        self.handle = handle
        self.promptsFolder = promptsFolder
        self.holdMusic = holdMusic
        self.ivr = ivr
    }

    public var isEnded: Bool {
        if case .ended = state { return true }
        return false
    }

    /// How the call ended up, for its record: the last of the IVR's outcome, a hunt's
    /// outcome, a queue's, or a transfer.
    public internal(set) var outcome: CallOutcome = .none

    public func path(of prompt: String) -> String { promptsFolder + "/" + prompt + ".wav" }

    /// Media is up: the menus start.
    public mutating func mediaActive(at now: Duration) -> [Action] {
        guard state == .answering else { return [] }
        state = .inMenus
        return run(at: now) { $0.start(at: now) }
    }

    /// A playback ended: its player is released, and the IVR or the hold sequence goes on.
    public mutating func promptFinished(_ playback: PlaybackID, at now: Duration) -> [Action] {
        var actions: [Action] = [.telephony(.stopPlayback(handle, playback))]
        switch state {
        case .inMenus:
            actions += run(at: now) { $0.promptFinished(playback, at: now) }
        case .queued where playback == pleaseHold:
            pleaseHold = nil
            actions += nextInterlude()
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
        if state == .keyingReference { return referenceDigit(digit, at: now) }
        guard state == .inMenus else { return [] }
        return run(at: now) { $0.digitReceived(digit, at: now) }
    }

    /// A timer this call started fired; each kind goes to the machine that started it, and only
    /// while that machine still holds it.
    public mutating func timerFired(_ timer: CallTimer, at now: Duration) -> [Action] {
        switch (timer, state) {
        case (.transferDrop, _):
            guard timer == transferDropTimer, let leg = transferredLeg else { return [] }
            transferDropTimer = nil
            return liveLegs.remove(leg) != nil ? [.dropLeg(leg)] : []
        case (.menu(let t), .inMenus):
            return run(at: now) { $0.timerFired(t, at: now) }
        case (.hunt(let run, let t), .ringingAgents) where run == hunts:
            return runHunt(at: now) { $0.timerFired(t, at: now) }
        case (.queueRing, .queued) where timer == queueRingTimer:
            return queueRingOut(at: now)
        case (.referenceEntry, .keyingReference):
            return referenceTimerFired(timer, at: now)
        default:
            return []
        }
    }

    // MARK: agent legs

    /// A leg's phone answered.
    public mutating func legAnswered(_ leg: LegID, at now: Duration) -> [Action] {
        if queueLegs[leg] != nil { return queueLegAnswered(leg, at: now) }
        guard hunt != nil else { return [.dropLeg(leg)] }
        return runHunt(at: now) { $0.legAnswered(leg, at: now) }
    }

    /// A leg's media is up (its SDP answer arrived).
    public mutating func legMediaActive(_ leg: LegID, at now: Duration) -> [Action] {
        legsWithMedia.insert(leg)
        guard bridgePending == leg else { return [] }
        bridgePending = nil
        return [.bridgeLeg(leg)]
    }

    // MARK: blind transfer (RFC 3515)

    /// The connected agent sent REFER for `target` (a plan name on this controller).
    public mutating func transferRequested(_ leg: LegID, target: String, at now: Duration) -> [Action] {
        guard case .connected(let member, let connected) = state, connected == leg else { return [] }
        state = .transferring(member: member, leg: leg, target: target)
        return [note(.transfer("\(member) transfers the caller to \(target)"), at: now)]
    }

    /// The referred call arrived and names a plan target: the caller moves there. The agent's
    /// leg stays until the agent hangs up (after the NOTIFY 200), at most `transferGrace`.
    public mutating func transferAccepted(to target: Target, at now: Duration) -> [Action] {
        guard case .transferring(let member, let leg, _) = state else { return [] }
        transferredLeg = leg
        let timer = CallTimer.transferDrop(leg)
        transferDropTimer = timer
        outcome = .transferred(by: member, to: target)
        hunt = nil
        return [note(.transfer(outcome.description), at: now), .startTimer(timer, after: Self.transferGrace)] + releaseQueueAgent() + go(target, at: now)
    }

    /// The connected agent's desk sends the caller to a department: the agent's leg is hung
    /// up and the caller goes to `target` on the same call and record.
    public mutating func transferredByDesk(to target: Target, department: String, at now: Duration) -> [Action] {
        guard case .connected(let member, let leg) = state else { return [] }
        liveLegs.remove(leg)
        hunt = nil
        outcome = .transferredToDepartment(by: member, department: department)
        return [note(.transfer("\(member) transfers the caller to department \(department) (desk)"), at: now), .dropLeg(leg)]
            + releaseQueueAgent() + go(target, at: now)
    }

    /// The referred call named nothing the plan has: the caller stays with the agent.
    public mutating func transferRefused(at now: Duration) -> [Action] {
        guard case .transferring(let member, let leg, let target) = state else { return [] }
        state = .connected(member: member, leg: leg)
        return [note(.transfer("transfer to \(target) refused: the plan has no such target"), at: now)]
    }

    /// A leg ended: a failure while ringing, or the agent hanging up once connected.
    public mutating func legEnded(_ leg: LegID, code: Int, reason: String, at now: Duration) -> [Action] {
        liveLegs.remove(leg)
        legsWithMedia.remove(leg)
        if leg == transferredLeg {
            transferredLeg = nil
            let timer = transferDropTimer
            transferDropTimer = nil
            return timer.map { [.cancelTimer($0)] } ?? []
        }
        if case .transferring(let member, let connected, _) = state, connected == leg {
            state = .connected(member: member, leg: leg)
        }
        if case .connected(let member, let connected) = state, connected == leg {
            state = .hangingUp
            return [note(.hunt("\(member) hung up"), at: now), .telephony(.hangup(handle, code: 200))] + releaseQueueAgent()
        }
        if let agent = queueLegs.removeValue(forKey: leg) { return queueLegFailed(agent, code: code, reason: reason, at: now) }
        guard case .ringingAgents = state else { return [] }
        return runHunt(at: now) { $0.legFailed(leg, code: code, reason: reason, at: now) }
    }

    /// The caller's call is over, whoever ended it: release what is playing or pending, drop
    /// every leg (CANCEL the ringing, BYE the connected).
    public mutating func callEnded(code: Int, at now: Duration) -> [Action] {
        var actions: [Action] = []
        switch state {
        case .inMenus: actions += run(at: now) { $0.callerHungUp(at: now) }
        case .ringingAgents: actions += runHunt(at: now) { $0.callerHungUp(at: now) }
        case .queued: actions += leaveQueue() + [.queue(.released)]
        case .keyingReference: actions += leaveReferenceEntry()
        default: break
        }
        actions += releaseQueueAgent()
        actions += releaseHold()
        actions += dropEveryLeg()
        state = .ended(code: code)
        return actions
    }

    /// The controller is stopping: stop everything and hang up.
    public mutating func shutdownRequested(at now: Duration) -> [Action] {
        switch state {
        case .ended, .hangingUp: return []
        default: break
        }
        var actions: [Action] = []
        if state == .inMenus {
            // End the IVR run quietly: its playback and timer are released.
            for action in ivr.callerHungUp(at: now) {
                switch action {
                case .stopPlayback(let p): actions.append(.telephony(.stopPlayback(handle, p)))
                case .cancelTimer(let t): actions.append(.cancelTimer(.menu(t)))
                default: break
                }
            }
        }
        if case .ringingAgents = state, var h = hunt {
            for action in h.callerHungUp(at: now) {
                if case .cancelTimer(let t) = action { actions.append(.cancelTimer(.hunt(run: hunts, t))) }
            }
            hunt = h
        }
        if case .queued = state { actions += leaveQueue() + [.queue(.released)] }
        if state == .keyingReference { actions += leaveReferenceEntry() }
        actions += releaseQueueAgent()
        actions += releaseHold()
        actions += dropEveryLeg()
        state = .hangingUp
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
        var actions: [Action] = liveLegs.sorted { $0.sequence < $1.sequence }.map { .dropLeg($0) }
        liveLegs.removeAll()
        if let timer = transferDropTimer {
            actions.append(.cancelTimer(timer))
            transferDropTimer = nil
        }
        return actions
    }

    private mutating func run(at now: Duration, _ input: (inout IVRSession) -> [IVRAction]) -> [Action] {
        let before = ivr.steps.count
        let ivrActions = input(&ivr)
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
                self.outcome = .ivr(outcome)
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
            state = .hangingUp
            return [.telephony(.hangup(handle, code: 200))]
        case .callerLeft:
            return []
        }
    }

    /// Where the caller goes: the IVR's routing, a hunt nobody answered, an overflow, a
    /// transfer, a found reference.
    mutating func go(_ target: Target, at now: Duration) -> [Action] {
        switch target {
        case .hunt(let name):
            return startHunt(name, at: now)
        case .queue(let name):
            return joinQueue(name, at: now)
        case .reference:
            return enterReference(at: now)
        case .menu, .hangup, .repeatMenu, .back:
            // A fresh IVR run: a menu from its greeting, or goodbye and hang-up.
            let entry: Target = if case .menu = target { target } else { .hangup }
            ivr = IVRSession(plan: ivr.plan, call: handle, entry: entry, reference: ivr.reference, playbackBase: nextIVRPlayback())
            state = .inMenus
            return run(at: now) { $0.start(at: now) }
        }
    }

    private mutating func nextIVRPlayback() -> UInt32 {
        defer { nextHoldSequence += 1000 }
        return nextHoldSequence + 500
    }

    /// "Please hold" as the first interlude, before the music.
    mutating func playPleaseHold(at now: Duration) -> [Action] {
        let playback = nextPlayback()
        pleaseHold = playback
        return [note(.prompt(["please-hold"]), at: now),
                .telephony(.play(handle, prompts: [path(of: "please-hold")], playback: playback, loop: false))]
    }

    mutating func startHunt(_ name: String, at now: Duration) -> [Action] {
        hunts += 1
        guard let group = ivr.plan.hunt(name), hunts <= Self.maxHunts else {
            return [note(.hunt("hunt \(name): too many hunts for one call, hanging up"), at: now)] + go(.hangup, at: now)
        }
        var contacts: [String: String] = [:]
        for member in group.members {
            guard let agent = ivr.plan.agent(member.value) else { continue }
            // A registering agent's contact is the registrar's: the controller fills it in
            // when it dials (`Action.dialLeg` with an empty contact), or fails the leg.
            if let contact = agent.contact?.value { contacts[member.value] = contact } else if agent.login != nil { contacts[member.value] = "" }
        }
        // Each hunt numbers its timers from 0: `CallTimer.hunt(run:)` tells one hunt's from an earlier one's.
        hunt = HuntSession(hunt: group, call: handle, contacts: contacts, timerBase: 0, legBase: UInt32(hunts - 1) * 1000)
        state = .ringingAgents(hunt: name)
        var actions = [note(.hunt("hunt \(name): \(group.mode.rawValue), ring \(StatementReader.format(group.ring))"), at: now)]
        interludes = []
        // The caller hears ringback, or the hunt's music, while members ring.
        music = group.music?.value ?? "ringback"
        actions += releaseHold()
        actions += startMusic()
        return actions + runHunt(at: now) { $0.start(at: now) }
    }

    private mutating func runHunt(at now: Duration, _ input: (inout HuntSession) -> [HuntAction]) -> [Action] {
        guard var h = hunt else { return [] }
        let huntActions = input(&h)
        hunt = h
        var actions: [Action] = []
        for action in huntActions {
            switch action {
            case .dial(let leg, let member, let contact):
                liveLegs.insert(leg)
                actions.append(.dialLeg(leg, member: member, contact: contact))
            case .drop(let leg):
                if liveLegs.remove(leg) != nil { actions.append(.dropLeg(leg)) }
            case .bridge(let leg):
                actions += releaseHold()
                actions += bridge(leg)
            case .startTimer(let t, let after): actions.append(.startTimer(.hunt(run: hunts, t), after: after))
            case .cancelTimer(let t): actions.append(.cancelTimer(.hunt(run: hunts, t)))
            case .note(let text):
                actions.append(note(.hunt(text), at: now))
            case .finished(let outcome):
                actions.append(.huntOutcome(outcome))
                self.outcome = .hunt(outcome)
                switch outcome {
                case .answered(let member, let leg):
                    state = .connected(member: member, leg: leg)
                case .noAnswer(let then):
                    actions += releaseHold()
                    actions += go(then, at: now)
                case .callerLeft:
                    break
                }
            }
        }
        return actions
    }

    mutating func startMusic() -> [Action] {
        let playback = nextPlayback()
        holdPlayback = playback
        return [.telephony(.play(handle, prompts: [path(of: music)], playback: playback, loop: true))]
    }

    mutating func releaseHold() -> [Action] {
        let actions = [pleaseHold, holdPlayback].compactMap { $0 }.map { Action.telephony(.stopPlayback(handle, $0)) }
        pleaseHold = nil
        holdPlayback = nil
        return actions
    }

    mutating func nextPlayback() -> PlaybackID {
        defer { nextHoldSequence += 1 }
        return PlaybackID(call: handle, sequence: nextHoldSequence)
    }

    /// Bridges the leg now if its media is up, or as soon as it is.
    mutating func bridge(_ leg: LegID) -> [Action] {
        if legsWithMedia.contains(leg) { return [.bridgeLeg(leg)] }
        bridgePending = leg
        return []
    }
}
