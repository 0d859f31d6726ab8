/// A caller keying a reference (`-> reference`): "please enter your reference number,
/// followed by the pound key"; keys until `#`; a wrong length or check digit is refused at
/// once, before any lookup ("not valid"); a valid one is looked up by the controller
/// (`Action.lookupReference`), and an unknown one is said so. Three tries, then goodbye. A
/// found reference attaches the call to it and sends it to the department that owns it.
extension CallSession {
    mutating func enterReference(at now: Duration) -> [Action] {
        var actions = releaseHold()
        // A new entry, or the next try of the one under way (its tries count on).
        if case .keyingReference = stage {} else { stage = .keyingReference(ReferenceEntry()) }
        referenceEntry.attempt += 1
        referenceEntry.keys = ""
        guard referenceEntry.attempt <= ReferenceEntry.attempts else {
            actions.append(note(.reference("reference: \(ReferenceEntry.attempts) tries used up"), at: now))
            referenceEntry = ReferenceEntry()
            return actions + go(.hangup, at: now)
        }
        let playback = nextPlayback()
        referenceEntry.phase = .prompting(playback)
        actions.append(note(.prompt(["enter-reference"]), at: now))
        actions.append(.telephony(.play(handle, prompts: [path(of: "enter-reference")], playback: playback, loop: false)))
        return actions + restartReferenceTimer(ReferenceEntry.firstKeyTimeout + .seconds(8))
    }

    mutating func referenceDigit(_ digit: DTMFDigit, at now: Duration) -> [Action] {
        var actions: [Action] = [note(.key(digit), at: now)]
        switch referenceEntry.phase {
        case .prompting(let playback):
            actions.append(.telephony(.stopPlayback(handle, playback)))  // barge-in
            referenceEntry.phase = .collecting
        case .collecting:
            break
        default:
            return []  // looking up, or saying why the last try failed: keys wait for the next try
        }
        if digit.description == "#" { return actions + referenceKeyed(at: now) }
        if digit.description != "*", referenceEntry.keys.count < ReferenceEntry.maxKeys { referenceEntry.keys += digit.description }
        return actions + restartReferenceTimer(ReferenceEntry.nextKeyTimeout)
    }

    /// `#` (or the key timeout with keys typed): check the number before any lookup.
    private mutating func referenceKeyed(at now: Duration) -> [Action] {
        var actions = cancelReferenceTimer()
        do {
            let reference = try ReferenceNumber(parsing: referenceEntry.keys)
            referenceEntry.phase = .lookingUp(reference)
            actions.append(note(.reference("reference \(reference) keyed"), at: now))
            return actions + [.lookupReference(reference)]
        } catch {
            actions.append(note(.reference("reference '\(referenceEntry.keys)' refused before lookup: \(error)"), at: now))
            return actions + refuseReference("reference-invalid", at: now)
        }
    }

    /// The controller's answer to `lookupReference`: the target of the department that owns
    /// it, or nil when no such reference was ever issued.
    public mutating func referenceLookedUp(_ reference: ReferenceNumber, target: Target?, at now: Duration) -> [Action] {
        guard case .keyingReference(let entry) = stage, entry.phase == .lookingUp(reference) else { return [] }
        guard let target else {
            return [note(.reference("reference \(reference) not found"), at: now)] + refuseReference("reference-unknown", at: now)
        }
        referenceEntry = ReferenceEntry()
        return [note(.reference("reference \(reference) found: going to \(target)"), at: now)] + go(target, at: now)
    }

    private mutating func refuseReference(_ prompt: String, at now: Duration) -> [Action] {
        let playback = nextPlayback()
        referenceEntry.phase = .refusing(playback)
        return cancelReferenceTimer() + [note(.prompt([prompt]), at: now),
                                         .telephony(.play(handle, prompts: [path(of: prompt)], playback: playback, loop: false))]
    }

    mutating func referencePromptFinished(_ playback: PlaybackID, at now: Duration) -> [Action] {
        switch referenceEntry.phase {
        case .prompting(let p) where p == playback:
            referenceEntry.phase = .collecting
            return restartReferenceTimer(ReferenceEntry.firstKeyTimeout)
        case .refusing(let p) where p == playback:
            return enterReference(at: now)
        default:
            return []
        }
    }

    mutating func referenceTimerFired(_ timer: CallTimer, at now: Duration) -> [Action] {
        guard timer == referenceEntry.timer else { return [] }
        referenceEntry.timer = nil
        switch referenceEntry.phase {
        case .prompting(let playback):
            return [.telephony(.stopPlayback(handle, playback)), note(.noInput, at: now)] + refuseReference("reference-invalid", at: now)
        case .collecting where referenceEntry.keys.isEmpty:
            return [note(.noInput, at: now)] + refuseReference("reference-invalid", at: now)
        case .collecting:
            return referenceKeyed(at: now)  // the caller forgot `#`
        default:
            return []
        }
    }

    mutating func leaveReferenceEntry() -> [Action] {
        var actions = cancelReferenceTimer()
        switch referenceEntry.phase {
        case .prompting(let p), .refusing(let p): actions.append(.telephony(.stopPlayback(handle, p)))
        default: break
        }
        referenceEntry = ReferenceEntry()
        return actions
    }

    private mutating func restartReferenceTimer(_ after: Duration) -> [Action] {
        let actions = cancelReferenceTimer()
        let timer = CallTimer.referenceEntry(handle, attempt: UInt32(nextHoldSequence))
        referenceEntry.timer = timer
        nextHoldSequence += 1
        return actions + [.startTimer(timer, after: after)]
    }

    private mutating func cancelReferenceTimer() -> [Action] {
        guard let timer = referenceEntry.timer else { return [] }
        referenceEntry.timer = nil
        return [.cancelTimer(timer)]
    }
}
