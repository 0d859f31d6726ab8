/// Runs an `IVRSession` with virtual time: prompts take their real length, timers fire when
/// due, the simulated caller presses keys when the menu waits for them. The same engine as
/// live calls; only the clock and the telephone are simulated.
public struct IVRSimulation {
    public struct Result: Sendable {
        public var steps: [IVRStep]
        public var outcome: IVROutcome?
        /// True when the run was stopped by the step or time limit (a plan that keeps a
        /// silent caller in menus for over an hour).
        public var truncated: Bool
        /// The caller's keys the menus did not take: what they press where the menus sent
        /// them (a queue's callback offer).
        public var unused: [SimulatedCaller.Token] = []
    }

    private enum Event {
        case promptFinished(PlaybackID)
        case timer(IVRTimer)
        case key(DTMFDigit)
    }

    /// `promptLength` gives a prompt's playing time (nil: unknown, taken as 1 s).
    public static func run(
        plan: Dialplan, entry: Target, caller: SimulatedCaller, reference: String? = nil,
        promptLength: (String) -> Duration?
    ) -> Result {
        var session = IVRSession(plan: plan, call: CallHandle(0), entry: entry, reference: reference)
        var pending: [(at: Duration, order: Int, event: Event)] = []
        var order = 0
        var tokens = caller.tokens[...]
        var now: Duration = .zero
        var cancelled = Set<IVRTimer>()
        var stopped = Set<PlaybackID>()

        func schedule(_ at: Duration, _ event: Event) {
            pending.append((at, order, event))
            order += 1
        }
        func perform(_ actions: [IVRAction]) {
            for action in actions {
                switch action {
                case .play(let prompts, let playback):
                    let length = prompts.reduce(Duration.zero) { $0 + (promptLength($1) ?? .seconds(1)) }
                    schedule(now + length, .promptFinished(playback))
                case .stopPlayback(let playback): stopped.insert(playback)
                case .startTimer(let timer, let after): schedule(now + after, .timer(timer))
                case .cancelTimer(let timer): cancelled.insert(timer)
                case .finished: break
                }
            }
            // The menu now waits for a first key: the caller answers with the next token.
            if case .collecting = session.phase, case .waiting = session.steps.last?.kind, let token = tokens.popFirst(),
               case .keys(let digits) = token {
                for (i, digit) in digits.enumerated() { schedule(now + .seconds(1) + .milliseconds(300 * i), .key(digit)) }
            }
        }

        perform(session.start(at: now))
        var handled = 0
        while session.outcome == nil, !pending.isEmpty {
            handled += 1
            guard handled <= 1000, now <= .seconds(3600) else { return Result(steps: session.steps, outcome: nil, truncated: true, unused: Array(tokens)) }
            let next = pending.indices.min { (pending[$0].at, pending[$0].order) < (pending[$1].at, pending[$1].order) }!
            let item = pending.remove(at: next)
            now = item.at
            switch item.event {
            case .promptFinished(let playback):
                guard !stopped.contains(playback) else { continue }
                perform(session.promptFinished(playback, at: now))
            case .timer(let timer):
                guard !cancelled.contains(timer) else { continue }
                perform(session.timerFired(timer, at: now))
            case .key(let digit):
                perform(session.digitReceived(digit, at: now))
            }
        }
        return Result(steps: session.steps, outcome: session.outcome, truncated: session.outcome == nil, unused: Array(tokens))
    }
}
