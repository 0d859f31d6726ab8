/// A hunt group for the caller (`Stage.ringing`): its members rung by a `HuntSession`, the
/// caller on ringback or the hunt's music; the winner is bridged, or the caller goes on.
extension CallSession {
    mutating func startHunt(_ name: String, at now: Duration) -> [Action] {
        hunts += 1
        guard let group = plan.hunt(name), hunts <= Self.maxHunts else {
            return [note(.hunt("hunt \(name): too many hunts for one call, hanging up"), at: now)] + go(.hangup, at: now)
        }
        var contacts: [String: String] = [:]
        for member in group.members {
            guard let agent = plan.agent(member.value) else { continue }
            // A registering agent's contact is the registrar's: the controller fills it in
            // when it dials (`Action.dialLeg` with an empty contact), or fails the leg.
            if let contact = agent.contact?.value { contacts[member.value] = contact } else if agent.login != nil { contacts[member.value] = "" }
        }
        var actions = [note(.hunt("hunt \(name): \(group.mode.rawValue), ring \(StatementReader.format(group.ring))"), at: now)]
        actions += releaseHold()
        // Each hunt numbers its timers from 0: `CallTimer.hunt(run:)` tells one hunt's from an earlier one's.
        let session = HuntSession(hunt: group, call: handle, contacts: contacts, timerBase: 0, legBase: UInt32(hunts - 1) * 1000)
        // The caller hears ringback, or the hunt's music, while members ring.
        stage = .ringing(Ringing(name: name, hunt: session, run: hunts, hold: Hold(music: group.music?.value ?? "ringback")))
        actions += startMusic()
        return actions + runHunt(at: now) { $0.start(at: now) }
    }

    /// One input to the hunt, its actions translated; its verdict connects the caller or
    /// moves them on.
    mutating func runHunt(at now: Duration, _ input: (inout HuntSession) -> [HuntAction]) -> [Action] {
        guard case .ringing = stage, case .ringing(var ringing) = takeStage() else { return [] }
        let huntActions = input(&ringing.hunt)
        stage = .ringing(ringing)
        var actions: [Action] = []
        for action in huntActions {
            switch action {
            case .dial(let leg, let member, let contact):
                legs.live.insert(leg)
                actions.append(.dialLeg(leg, member: member, contact: contact))
            case .drop(let leg):
                if legs.live.remove(leg) != nil { actions.append(.dropLeg(leg)) }
            case .bridge(let leg):
                actions += releaseHold()
                actions += bridge(leg)
            case .startTimer(let t, let after): actions.append(.startTimer(.hunt(run: ringing.run, t), after: after))
            case .cancelTimer(let t): actions.append(.cancelTimer(.hunt(run: ringing.run, t)))
            case .note(let text):
                actions.append(note(.hunt(text), at: now))
            case .finished(let outcome):
                actions.append(.huntOutcome(outcome))
                self.outcome = .hunt(outcome)
                switch outcome {
                case .answered(let member, let leg):
                    stage = .connected(Connection(member: member, leg: leg, viaQueue: false))
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
}
