/// The menu engine: greeting, reprompt, invalid and no-input prompts, timeouts, attempts,
/// on-failure, single- and multi-key options (ended by length, by the terminator or by the
/// digit timeout), barge-in with keys typed ahead kept, sub-menus, `repeat`, `back`, and
/// `hangup` with a goodbye prompt.
///
/// A value-type state machine: every input is an event (`start`, `promptFinished`,
/// `digitReceived`, `timerFired`, `callerHungUp`) carrying the time since the run started,
/// and returns the actions to perform. No I/O, no clock, no threads: the controller runs it
/// for live calls, `throughline simulate` runs the very same code with virtual time.
public struct IVRSession: Sendable {
    /// What the run is doing now.
    public enum Phase: Sendable, Hashable {
        case notStarted
        /// A prompt is playing; `then` says what follows its end.
        case prompting(PlaybackID, then: AfterPrompt)
        /// Waiting for a key (first key: `timeout`; more keys: `digit-timeout`).
        case collecting(IVRTimer)
        case done(IVROutcome)
    }

    public enum AfterPrompt: Sendable, Hashable {
        /// Greeting or reprompt: then collect keys.
        case collect
        /// Invalid or no-input prompt: then the reprompt.
        case reprompt
        /// The last invalid prompt: then on-failure.
        case failure
        /// Goodbye: then the run ends, hung up.
        case goodbye
    }

    public let plan: Dialplan
    public let call: CallHandle
    /// The call's reference, digits only, for `say-reference`.
    public let reference: String?
    public let entry: Target

    public private(set) var phase: Phase = .notStarted
    public private(set) var steps: [IVRStep] = []
    /// The menu being run, and the menus the caller came through (for `back`).
    public private(set) var current: Menu?
    private var stack: [String] = []
    private var attempt = 1
    /// Keys typed since the last prompt started, not yet taken as an option.
    private var buffer = ""
    private var nextPlayback: UInt32 = 0
    private var nextTimer: UInt32 = 0
    private var farewell: [String]

    /// `playbackBase` keeps a later run's playback ids apart from an earlier run's on the
    /// same call (a hunt nobody answered sends the caller back to a menu).
    /// `farewell`: prompts said before goodbye when the run hangs up (a feature code's
    /// confirmation).
    public init(plan: Dialplan, call: CallHandle, entry: Target, reference: String? = nil, playbackBase: UInt32 = 0,
                farewell: [String] = []) {
        self.farewell = farewell
        self.plan = plan
        self.call = call
        self.entry = entry
        self.reference = reference
        self.nextPlayback = playbackBase
        self.nextTimer = playbackBase
    }

    public var outcome: IVROutcome? {
        if case .done(let o) = phase { return o }
        return nil
    }

    /// Media is up: enter the entry target.
    public mutating func start(at now: Duration) -> [IVRAction] {
        guard case .notStarted = phase else { return [] }
        return go(entry, at: now, fromMenu: false)
    }

    /// A playback reached its end.
    public mutating func promptFinished(_ playback: PlaybackID, at now: Duration) -> [IVRAction] {
        guard case .prompting(let current, let then) = phase, current == playback else { return [] }
        return afterPrompt(then, at: now)
    }

    /// A key arrived (RFC 4733 or SIP INFO; the adapter has already counted it once).
    public mutating func digitReceived(_ digit: DTMFDigit, at now: Duration) -> [IVRAction] {
        switch phase {
        case .notStarted, .done:
            return []
        case .prompting(let playback, let then):
            guard then == .collect || then == .reprompt, let menu = current else { return [] }
            record(now, .key(digit))
            buffer.append(digit.character)
            guard menu.bargeIn else { return [] }  // typed ahead: kept for when the prompt ends
            record(now, .bargeIn)
            return [.stopPlayback(playback)] + evaluate(at: now)
        case .collecting(let timer):
            record(now, .key(digit))
            buffer.append(digit.character)
            return [.cancelTimer(timer)] + evaluate(at: now)
        }
    }

    /// A timer this run started went off.
    public mutating func timerFired(_ timer: IVRTimer, at now: Duration) -> [IVRAction] {
        guard case .collecting(let pending) = phase, pending == timer, let menu = current else { return [] }
        if buffer.isEmpty {
            record(now, .noInput)
            return retryOrFail(prompts: menu.noInput.map { [$0.value] } ?? [], at: now)
        }
        if let option = menu.options.first(where: { $0.keys == buffer }) { return choose(option, at: now) }
        return invalid(at: now)
    }

    /// The caller hung up: the run ends, anything playing or pending is released.
    public mutating func callerHungUp(at now: Duration) -> [IVRAction] {
        var actions: [IVRAction] = []
        switch phase {
        case .done: return []
        case .prompting(let p, _): actions.append(.stopPlayback(p))
        case .collecting(let t): actions.append(.cancelTimer(t))
        case .notStarted: break
        }
        return actions + finish(.callerLeft, at: now)
    }

    // MARK: the rules

    private mutating func record(_ at: Duration, _ kind: IVRStep.Kind) {
        steps.append(IVRStep(at: at, kind))
    }

    private mutating func play(_ prompts: [String], then: AfterPrompt, at now: Duration) -> [IVRAction] {
        let playback = PlaybackID(call: call, sequence: nextPlayback)
        nextPlayback += 1
        phase = .prompting(playback, then: then)
        record(now, .prompt(prompts))
        return [.play(prompts, playback)]
    }

    private mutating func enter(_ name: String, at now: Duration) -> [IVRAction] {
        guard let menu = plan.menu(name) else { return go(.hangup, at: now, fromMenu: false) }
        current = menu
        attempt = 1
        buffer = ""
        record(now, .menuEntered(name, attempt: 1))
        var prompts = [menu.greeting?.value ?? menu.invalid.value]
        if menu.sayReference, let reference {
            prompts += ["your-reference-is"] + SpokenNumber.digits(reference)
        }
        return play(prompts, then: .collect, at: now)
    }

    /// Where a chosen option or fallback leads.
    private mutating func go(_ target: Target, at now: Duration, fromMenu: Bool) -> [IVRAction] {
        switch target {
        case .menu(let name):
            if fromMenu, let here = current?.name.value { stack.append(here) }
            return enter(name, at: now)
        case .repeatMenu:
            guard let here = current?.name.value else { return go(.hangup, at: now, fromMenu: false) }
            return enter(here, at: now)
        case .back:
            if let previous = stack.popLast() { return enter(previous, at: now) }
            guard let here = current?.name.value else { return go(.hangup, at: now, fromMenu: false) }
            return enter(here, at: now)
        case .hangup:
            buffer = ""
            defer { farewell = [] }
            return play(farewell + [DialplanChecker.goodbyePrompt], then: .goodbye, at: now)
        case .queue, .hunt, .callback, .reference:
            return finish(.routed(target), at: now)
        }
    }

    private mutating func finish(_ outcome: IVROutcome, at now: Duration) -> [IVRAction] {
        phase = .done(outcome)
        record(now, .ended(outcome))
        return [.finished(outcome)]
    }

    private mutating func afterPrompt(_ then: AfterPrompt, at now: Duration) -> [IVRAction] {
        guard let menu = current else {
            return then == .goodbye ? finish(.hungUp, at: now) : go(.hangup, at: now, fromMenu: false)
        }
        switch then {
        case .collect: return evaluate(at: now)
        case .reprompt:
            // Keys typed over the invalid prompt (without barge-in) are an answer already.
            if !buffer.isEmpty { return evaluate(at: now) }
            return reprompt(menu, at: now)
        case .failure:
            record(now, .failure(menu.onFailure.value))
            return go(menu.onFailure.value, at: now, fromMenu: true)
        case .goodbye:
            return finish(.hungUp, at: now)
        }
    }

    private mutating func reprompt(_ menu: Menu, at now: Duration) -> [IVRAction] {
        record(now, .menuEntered(menu.name.value, attempt: attempt))
        return play([(menu.reprompt ?? menu.greeting)?.value ?? menu.invalid.value], then: .collect, at: now)
    }

    /// Decides what the keys so far mean: an option, more keys to come, or invalid.
    private mutating func evaluate(at now: Duration) -> [IVRAction] {
        guard let menu = current else { return [] }
        if buffer.isEmpty { return wait(menu.timeout, at: now) }
        if let t = menu.terminator, buffer.last == t {
            if let option = menu.options.first(where: { $0.keys == buffer }) { return choose(option, at: now) }
            let entry = String(buffer.dropLast())
            if !entry.isEmpty, let option = menu.options.first(where: { $0.keys == entry }) {
                buffer = entry
                return choose(option, at: now)
            }
            return invalid(at: now)
        }
        let exact = menu.options.first { $0.keys == buffer }
        let longer = menu.options.contains { $0.keys.count > buffer.count && $0.keys.hasPrefix(buffer) }
        if let exact, !longer { return choose(exact, at: now) }
        if longer { return wait(menu.digitTimeout, at: now) }
        return invalid(at: now)
    }

    private mutating func wait(_ duration: Duration, at now: Duration) -> [IVRAction] {
        let timer = IVRTimer(call: call, sequence: nextTimer)
        nextTimer += 1
        phase = .collecting(timer)
        if buffer.isEmpty { record(now, .waiting(duration)) }
        return [.startTimer(timer, after: duration)]
    }

    private mutating func choose(_ option: Menu.Option, at now: Duration) -> [IVRAction] {
        record(now, .chosen(keys: buffer, option.target.value))
        buffer = ""
        return go(option.target.value, at: now, fromMenu: true)
    }

    private mutating func invalid(at now: Duration) -> [IVRAction] {
        guard let menu = current else { return [] }
        record(now, .invalid(keys: buffer))
        buffer = ""
        return retryOrFail(prompts: [menu.invalid.value], at: now)
    }

    /// After an invalid entry or a silence: another attempt, or on-failure when used up.
    private mutating func retryOrFail(prompts: [String], at now: Duration) -> [IVRAction] {
        guard let menu = current else { return [] }
        attempt += 1
        if attempt > menu.attempts {
            if prompts.isEmpty {
                record(now, .failure(menu.onFailure.value))
                return go(menu.onFailure.value, at: now, fromMenu: true)
            }
            return play(prompts, then: .failure, at: now)
        }
        if prompts.isEmpty { return reprompt(menu, at: now) }
        return play(prompts, then: .reprompt, at: now)
    }
}
