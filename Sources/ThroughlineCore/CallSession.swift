/// One call's life as the controller runs it: answered, put through the plan's menus by an
/// `IVRSession`, then, for a queue, hunt or reference outcome, told to hold with music
/// until those engines take the call (their issues), or hung up after goodbye.
///
/// A value-type state machine: inputs are events with the time since the call arrived; it
/// returns actions. The plan (and its prompt folder) is fixed when the call arrives, so a
/// reload never changes a call in progress.
public struct CallSession: Sendable {
    public enum State: Sendable, Equatable {
        case answering
        case inMenus
        /// After the IVR routed the call: "please hold", then music on a loop.
        case holding(IVROutcome)
        case hangingUp
        case ended(code: Int)
    }

    public enum Action: Sendable, Equatable {
        case telephony(TelephonyCommand)
        case startTimer(IVRTimer, after: Duration)
        case cancelTimer(IVRTimer)
        /// A step of the caller's path, for the call's records.
        case step(IVRStep)
        /// The IVR run ended.
        case outcome(IVROutcome)
        /// A key already counted by its other method (RFC 4733 and SIP INFO for one press).
        case duplicateKey(DTMFDigit, DTMFMethod)
    }

    public let handle: CallHandle
    public let promptsFolder: String
    /// Hold music when no queue or hunt names its own.
    public let holdMusic: String
    public private(set) var state: State = .answering
    public private(set) var ivr: IVRSession
    private var holdPlayback: PlaybackID?
    private var lastKey: (digit: DTMFDigit, method: DTMFMethod, at: Duration)?
    /// The music of where the call was routed.
    private var music = ""
    private var pleaseHold: PlaybackID?
    private var nextHoldSequence: UInt32 = 1_000_000  // IVR playbacks count from 0

    /// The machine for an arriving call on `route` of `plan`, and the command answering it.
    public static func start(
        _ handle: CallHandle, plan: Dialplan, route: Route, promptsFolder: String, reference: String? = nil
    ) -> (CallSession, [Action]) {
        let session = CallSession(
            handle: handle, promptsFolder: promptsFolder, holdMusic: plan.settings.music.value,
            ivr: IVRSession(plan: plan, call: handle, entry: route.target.value, reference: reference))
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
        case .holding where playback == pleaseHold:
            pleaseHold = nil
            actions += startMusic()
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
        guard state == .inMenus else { return [] }
        return run(at: now) { $0.digitReceived(digit, at: now) }
    }

    public static let duplicateWindow: Duration = .milliseconds(400)

    public mutating func timerFired(_ timer: IVRTimer, at now: Duration) -> [Action] {
        guard state == .inMenus else { return [] }
        return run(at: now) { $0.timerFired(timer, at: now) }
    }

    /// The call is over, whoever ended it: release what is playing or pending.
    public mutating func callEnded(code: Int, at now: Duration) -> [Action] {
        var actions: [Action] = []
        if state == .inMenus { actions += run(at: now) { $0.callerHungUp(at: now) } }
        actions += releaseHold()
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
            // End the IVR run quietly: its playback and timer are released, no outcome logged twice.
            for action in ivr.callerHungUp(at: now) {
                switch action {
                case .stopPlayback(let p): actions.append(.telephony(.stopPlayback(handle, p)))
                case .cancelTimer(let t): actions.append(.cancelTimer(t))
                default: break
                }
            }
        }
        actions += releaseHold()
        state = .hangingUp
        return actions + [.telephony(.hangup(handle, code: 503))]
    }

    // MARK: -

    private mutating func run(at now: Duration, _ input: (inout IVRSession) -> [IVRAction]) -> [Action] {
        let before = ivr.steps.count
        let ivrActions = input(&ivr)
        var actions: [Action] = ivr.steps[before...].map { .step($0) }
        for action in ivrActions {
            switch action {
            case .play(let prompts, let playback):
                actions.append(.telephony(.play(handle, prompts: prompts.map(path(of:)), playback: playback, loop: false)))
            case .stopPlayback(let playback):
                actions.append(.telephony(.stopPlayback(handle, playback)))
            case .startTimer(let timer, let after):
                actions.append(.startTimer(timer, after: after))
            case .cancelTimer(let timer):
                actions.append(.cancelTimer(timer))
            case .finished(let outcome):
                actions.append(.outcome(outcome))
                actions += finished(outcome)
            }
        }
        return actions
    }

    private mutating func finished(_ outcome: IVROutcome) -> [Action] {
        switch outcome {
        case .routed(let target):
            state = .holding(outcome)
            switch target {
            case .queue(let name): music = ivr.plan.queue(name)?.music?.value ?? holdMusic
            case .hunt(let name): music = ivr.plan.hunt(name)?.music?.value ?? holdMusic
            default: music = holdMusic
            }
            let playback = nextPlayback()
            pleaseHold = playback
            return [.telephony(.play(handle, prompts: [path(of: "please-hold")], playback: playback, loop: false))]
        case .hungUp:
            state = .hangingUp
            return [.telephony(.hangup(handle, code: 200))]
        case .callerLeft:
            return []
        }
    }

    private mutating func startMusic() -> [Action] {
        let playback = nextPlayback()
        holdPlayback = playback
        return [.telephony(.play(handle, prompts: [path(of: music)], playback: playback, loop: true))]
    }

    private mutating func releaseHold() -> [Action] {
        let actions = [pleaseHold, holdPlayback].compactMap { $0 }.map { Action.telephony(.stopPlayback(handle, $0)) }
        pleaseHold = nil
        holdPlayback = nil
        return actions
    }

    private mutating func nextPlayback() -> PlaybackID {
        defer { nextHoldSequence += 1 }
        return PlaybackID(call: handle, sequence: nextHoldSequence)
    }
}
