/// Rings a hunt group's members in its mode and reports who answered.
///
/// - simultaneous: every member at once; the first 200 OK wins and the others are dropped
///   (CANCEL); the group rings `ring` in all.
/// - sequential: one member at a time, `ring` each, in order; a failure (486, 603, 404, 408,
///   480, 503, …, or an unreachable contact) moves on at once.
/// - progressive: the first member, then one more every `add-every`, all ringing together
///   until `ring` is up; a failure drops only that leg (and adds the next at once if no one
///   else is ringing).
///
/// A value-type state machine with no I/O: inputs are events with the time since the hunt
/// began; outputs are actions. Members without a contact (a login that has not registered)
/// count as failed at once.
public struct HuntSession: Sendable {
    public enum Phase: Sendable, Hashable {
        case notStarted
        case ringing
        case done(HuntOutcome)
    }

    public let hunt: Hunt
    public let call: CallHandle
    /// Each member's contact (static or registered); nil when the member cannot be reached.
    private let contacts: [String: String]
    public private(set) var phase: Phase = .notStarted
    /// Legs ringing now, by leg, with their member.
    public private(set) var ringing: [LegID: String] = [:]
    /// Members not yet tried, in order.
    private var waiting: [String]
    private var nextLeg: UInt32 = 0
    private var nextTimer: UInt32
    private var overallTimer: IVRTimer?
    private var stepTimer: IVRTimer?
    /// Sequential: the member ringing now.
    private var sequentialLeg: LegID?

    /// `timerBase` keeps this hunt's timer ids apart from the IVR's on the same call.
    /// `legBase` likewise for the legs of several hunts on one call.
    public init(hunt: Hunt, call: CallHandle, contacts: [String: String], timerBase: UInt32 = 2_000_000, legBase: UInt32 = 0) {
        self.hunt = hunt
        self.call = call
        self.contacts = contacts
        self.waiting = hunt.members.map(\.value)
        self.nextTimer = timerBase
        self.nextLeg = legBase
    }

    public var outcome: HuntOutcome? {
        if case .done(let o) = phase { return o }
        return nil
    }

    public mutating func start(at now: Duration) -> [HuntAction] {
        guard phase == .notStarted else { return [] }
        phase = .ringing
        var actions: [HuntAction] = []
        switch hunt.mode {
        case .simultaneous:
            actions += timer(.overall, hunt.ring)
            while !waiting.isEmpty { actions += dialNext() }
        case .sequential:
            actions += dialNextSequential()
        case .progressive:
            actions += timer(.overall, hunt.ring)
            actions += dialNext()
            if !waiting.isEmpty { actions += timer(.step, hunt.addEvery) }
        }
        return actions + checkExhausted()
    }

    /// A leg's phone answered (200 OK). The first one wins.
    public mutating func legAnswered(_ leg: LegID, at now: Duration) -> [HuntAction] {
        guard phase == .ringing, let member = ringing.removeValue(forKey: leg) else {
            // A late answer from a leg already dropped (another member won, or it rang out):
            // hang it up, so the member's phone does not stay connected to nobody.
            return [.drop(leg)]
        }
        var actions: [HuntAction] = ringing.keys.sorted { $0.sequence < $1.sequence }.map { .drop($0) }
        ringing.removeAll()
        actions += cancelTimers()
        actions.append(.bridge(leg))
        phase = .done(.answered(by: member, leg: leg))
        return actions + [.note("\(member) answered"), .finished(.answered(by: member, leg: leg))]
    }

    /// A leg failed before answering (a final error response, or unreachable).
    public mutating func legFailed(_ leg: LegID, code: Int, reason: String, at now: Duration) -> [HuntAction] {
        guard phase == .ringing, let member = ringing.removeValue(forKey: leg) else { return [] }
        var actions: [HuntAction] = [.note("\(member): \(code) \(reason)")]
        switch hunt.mode {
        case .simultaneous:
            break
        case .sequential:
            if leg == sequentialLeg {
                sequentialLeg = nil
                if let t = stepTimer { actions.append(.cancelTimer(t)); stepTimer = nil }
                actions += dialNextSequential()
            }
        case .progressive:
            if ringing.isEmpty, !waiting.isEmpty {
                actions += dialNext()
                if let t = stepTimer { actions.append(.cancelTimer(t)); stepTimer = nil }
                if !waiting.isEmpty { actions += timer(.step, hunt.addEvery) }
            }
        }
        return actions + checkExhausted()
    }

    public mutating func timerFired(_ fired: IVRTimer, at now: Duration) -> [HuntAction] {
        guard phase == .ringing else { return [] }
        if fired == overallTimer {
            overallTimer = nil
            let dropped = ringing.keys.sorted { $0.sequence < $1.sequence }
            ringing.removeAll()
            waiting.removeAll()
            return dropped.map { .drop($0) } + [.note("nobody answered within \(StatementReader.format(hunt.ring))")] + cancelTimers() + finishNoAnswer()
        }
        guard fired == stepTimer else { return [] }
        stepTimer = nil
        switch hunt.mode {
        case .sequential:
            var actions: [HuntAction] = []
            if let leg = sequentialLeg, let member = ringing.removeValue(forKey: leg) {
                actions += [.drop(leg), .note("\(member): no answer in \(StatementReader.format(hunt.ring))")]
            }
            sequentialLeg = nil
            return actions + dialNextSequential() + checkExhausted()
        case .progressive:
            var actions = dialNext()
            if !waiting.isEmpty { actions += timer(.step, hunt.addEvery) }
            return actions + checkExhausted()
        case .simultaneous:
            return []
        }
    }

    /// The caller hung up: every ringing leg is dropped.
    public mutating func callerHungUp(at now: Duration) -> [HuntAction] {
        guard phase == .ringing || phase == .notStarted else { return [] }
        let dropped = ringing.keys.sorted { $0.sequence < $1.sequence }
        ringing.removeAll()
        phase = .done(.callerLeft)
        return dropped.map { .drop($0) } + cancelTimers() + [.finished(.callerLeft)]
    }

    // MARK: -

    private enum TimerSlot { case overall, step }

    private mutating func timer(_ slot: TimerSlot, _ after: Duration) -> [HuntAction] {
        let t = IVRTimer(call: call, sequence: nextTimer)
        nextTimer += 1
        switch slot {
        case .overall: overallTimer = t
        case .step: stepTimer = t
        }
        return [.startTimer(t, after: after)]
    }

    private mutating func cancelTimers() -> [HuntAction] {
        let timers = [overallTimer, stepTimer].compactMap { $0 }
        overallTimer = nil
        stepTimer = nil
        return timers.map { .cancelTimer($0) }
    }

    /// Dials the next waiting member that has a contact (members without one are noted).
    private mutating func dialNext() -> [HuntAction] {
        var actions: [HuntAction] = []
        while !waiting.isEmpty {
            let member = waiting.removeFirst()
            guard let contact = contacts[member] else {
                actions.append(.note("\(member): not reachable (no contact, not registered)"))
                continue
            }
            let leg = LegID(call: call, sequence: nextLeg)
            nextLeg += 1
            ringing[leg] = member
            if hunt.mode == .sequential { sequentialLeg = leg }
            actions.append(.dial(leg, member: member, contact: contact))
            break
        }
        return actions
    }

    private mutating func dialNextSequential() -> [HuntAction] {
        let actions = dialNext()
        guard sequentialLeg != nil else { return actions }
        return actions + timer(.step, hunt.ring)
    }

    private mutating func checkExhausted() -> [HuntAction] {
        guard phase == .ringing, ringing.isEmpty, waiting.isEmpty else { return [] }
        return cancelTimers() + finishNoAnswer()
    }

    private mutating func finishNoAnswer() -> [HuntAction] {
        let outcome = HuntOutcome.noAnswer(then: hunt.onNoAnswer.value)
        phase = .done(outcome)
        return [.finished(outcome)]
    }
}
