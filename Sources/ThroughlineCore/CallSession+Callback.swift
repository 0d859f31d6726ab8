/// A waiting caller asks to be called back (RFC-free: this is the contact centre's own
/// rule). The queue's `callback key … after` offers it once they have waited that long (and
/// with each announcement after); a menu's `-> callback QUEUE` starts here at once. The
/// caller's number is read back ("press 1 to confirm, or key another number followed by
/// #"); the switchboard checks the confirmed number against the plan and answers
/// `callbackAccepted` (the place is kept, goodbye) or `callbackRefused` (key another).
/// Keys while confirming: `1` confirms (unless more digits follow within
/// `callbackConfirmPause`, which makes it the start of another number), other digits key a
/// number, `#` ends it, `*` goes back to waiting.
extension CallSession {
    /// After a lone `1`, how long to wait for more digits before taking it as "confirm".
    public static let callbackConfirmPause: Duration = .seconds(2)
    /// How long to wait for a key after a prompt or between the digits of a number.
    public static let callbackKeyTimeout: Duration = .seconds(8)
    /// Silences after which the caller goes back to waiting.
    static let callbackEntryAttempts = 3
    static let callbackNumberLength = 3 ... 20

    /// The offer's timer, started when the caller joins a queue that offers callbacks.
    mutating func startCallbackOfferTimer(_ queue: Queue, _ wait: inout QueueWait) -> [Action] {
        guard queue.callback.key != nil else { return [] }
        let timer = CallTimer.callbackOffer(handle)
        wait.callbackOfferTimer = timer
        return [.startTimer(timer, after: queue.callback.after)]
    }

    /// "To be called back without losing your place, press 1".
    func callbackOfferPrompts(_ queue: Queue) -> [String] {
        guard let key = queue.callback.key else { return [] }
        let spoken = switch key.character {
        case "*": "star"
        case "#": "pound"
        default: "digit-\(key.character)"
        }
        return ["callback-offer", spoken]
    }

    /// The caller has waited the queue's `after`: they hear the offer between two loops of music.
    mutating func offerCallback(at now: Duration) -> [Action] {
        guard case .queued(var wait) = stage, let queue = plan.queue(wait.name) else { return [] }
        wait.callbackOfferTimer = nil
        wait.callbackOffered = true
        stage = .queued(wait)
        guard wait.capture == nil else { return [] }
        let prompts = callbackOfferPrompts(queue)
        if wait.hold.interlude != nil {
            wait.hold.waiting.append(prompts)
            stage = .queued(wait)
            return [note(.queue("callback offered"), at: now)]
        }
        var actions = [note(.queue("callback offered"), at: now)] + releaseHold()
        let playback = nextPlayback()
        hold?.interlude = playback
        actions.append(.telephony(.play(handle, prompts: prompts.map(path(of:)), playback: playback, loop: false)))
        return actions
    }

    /// A key while waiting in a queue: the callback key once offered, or a key of the number.
    mutating func queueDigit(_ digit: DTMFDigit, at now: Duration) -> [Action] {
        guard case .queued(let wait) = stage else { return [] }
        guard wait.capture != nil else {
            guard let queue = plan.queue(wait.name), wait.callbackOffered, digit == queue.callback.key else { return [] }
            return [note(.key(digit), at: now)] + startCallbackCapture(at: now)
        }
        return callbackKey(digit, at: now)
    }

    /// The caller asked for a call back: the hold stops and their number is read back (or,
    /// with no usable caller ID, they are asked to key one). They keep their place meanwhile.
    mutating func startCallbackCapture(at now: Duration) -> [Action] {
        guard case .queued(var wait) = stage else { return [] }
        var actions = releaseHold()
        if let h = hold {
            wait.hold = h
            wait.hold.waiting.removeAll()
        }
        let usable = Self.callbackNumberLength.contains(caller.count) && caller.allSatisfy { $0.isASCII && ($0.isNumber || $0 == "+") }
        wait.capture = CallbackCapture(number: usable ? caller : nil)
        stage = .queued(wait)
        actions.append(note(.queue("callback requested"), at: now))
        return actions + playCapturePrompt(usable ? readBack(caller) : ["callback-enter-number"], at: now)
    }

    private func readBack(_ number: String) -> [String] {
        ["callback-number-is"] + SpokenNumber.digits(number) + ["callback-confirm"]
    }

    /// Plays a prompt of the capture; the key timer starts when it ends.
    private mutating func playCapturePrompt(_ prompts: [String], at now: Duration) -> [Action] {
        guard case .queued(var wait) = stage, var capture = wait.capture else { return [] }
        var actions: [Action] = []
        if let old = capture.playback { actions.append(.telephony(.stopPlayback(handle, old))) }
        if let timer = capture.timer { actions.append(.cancelTimer(timer)) }
        capture.timer = nil
        let playback = nextPlayback()
        capture.playback = playback
        wait.capture = capture
        stage = .queued(wait)
        return actions + [note(.prompt(prompts), at: now),
                          .telephony(.play(handle, prompts: prompts.map(path(of:)), playback: playback, loop: false))]
    }

    /// The capture's prompt ended: the wait for a key begins.
    mutating func capturePromptFinished(at now: Duration) -> [Action] {
        guard case .queued(var wait) = stage, var capture = wait.capture else { return [] }
        capture.playback = nil
        wait.capture = capture
        stage = .queued(wait)
        return restartCaptureTimer(after: Self.callbackKeyTimeout)
    }

    private mutating func restartCaptureTimer(after: Duration) -> [Action] {
        guard case .queued(var wait) = stage, var capture = wait.capture else { return [] }
        var actions: [Action] = []
        if let old = capture.timer { actions.append(.cancelTimer(old)) }
        callbackEntries += 1
        let timer = CallTimer.callbackEntry(handle, attempt: callbackEntries)
        capture.timer = timer
        wait.capture = capture
        stage = .queued(wait)
        return actions + [.startTimer(timer, after: after)]
    }

    private mutating func callbackKey(_ digit: DTMFDigit, at now: Duration) -> [Action] {
        guard case .queued(var wait) = stage, var capture = wait.capture else { return [] }
        var actions: [Action] = [note(.key(digit), at: now)]
        if let playing = capture.playback {
            actions.append(.telephony(.stopPlayback(handle, playing)))
            capture.playback = nil
        }
        capture.silences = 0
        wait.capture = capture
        stage = .queued(wait)
        switch digit.character {
        case "*":
            return actions + endCapture(at: now, why: "caller went back to waiting")
        case "#":
            guard !capture.typed.isEmpty else { return actions + playCapturePrompt(["callback-enter-number"], at: now) }
            return actions + numberKeyed(at: now)
        default:
            guard digit.character.isNumber else { return actions }
            capture.typed.append(digit.character)
            wait.capture = capture
            stage = .queued(wait)
            guard capture.typed.count <= Self.callbackNumberLength.upperBound else {
                capture.typed = ""
                wait.capture = capture
                stage = .queued(wait)
                return actions + playCapturePrompt(["callback-enter-number"], at: now)
            }
            // A lone 1 after the read-back confirms, unless more digits follow it.
            let confirming = capture.number != nil && capture.typed == "1"
            return actions + restartCaptureTimer(after: confirming ? Self.callbackConfirmPause : Self.callbackKeyTimeout)
        }
    }

    /// `#` (or a pause) after digits: the keyed number is read back for confirmation.
    private mutating func numberKeyed(at now: Duration) -> [Action] {
        guard case .queued(var wait) = stage, var capture = wait.capture else { return [] }
        capture.number = capture.typed
        capture.typed = ""
        wait.capture = capture
        stage = .queued(wait)
        return playCapturePrompt(readBack(capture.number!), at: now)
    }

    /// The key timer fired: a lone 1 confirms, keyed digits are the number, silence asks again.
    mutating func callbackEntryTimedOut(at now: Duration) -> [Action] {
        guard case .queued(var wait) = stage, var capture = wait.capture else { return [] }
        capture.timer = nil
        if let number = capture.number, capture.typed == "1" {
            capture.typed = ""
            wait.capture = capture
            stage = .queued(wait)
            return [note(.queue("callback number \(number) confirmed"), at: now), .queue(.callbackRequested(number: number))]
        }
        if !capture.typed.isEmpty {
            wait.capture = capture
            stage = .queued(wait)
            return numberKeyed(at: now)
        }
        capture.silences += 1
        wait.capture = capture
        stage = .queued(wait)
        guard capture.silences < Self.callbackEntryAttempts else { return endCapture(at: now, why: "no key") }
        return playCapturePrompt(capture.number.map(readBack) ?? ["callback-enter-number"], at: now)
    }

    /// Back to waiting in the queue with its music, the offer still open.
    private mutating func endCapture(at now: Duration, why: String) -> [Action] {
        guard case .queued(var wait) = stage, let capture = wait.capture else { return [] }
        var actions: [Action] = [note(.queue("callback not taken: \(why)"), at: now)]
        if let playing = capture.playback { actions.append(.telephony(.stopPlayback(handle, playing))) }
        if let timer = capture.timer { actions.append(.cancelTimer(timer)) }
        wait.capture = nil
        stage = .queued(wait)
        return actions + startMusic()
    }

    /// The switchboard took the call back: the caller's place is kept under it and they leave
    /// the queue (the switchboard has already taken them out of the queue engine), hear that,
    /// and are hung up.
    public mutating func callbackAccepted(queue: String, number: String, at now: Duration) -> [Action] {
        guard case .queued(let wait) = stage else { return [] }
        var actions: [Action] = []
        if let capture = wait.capture {
            if let playing = capture.playback { actions.append(.telephony(.stopPlayback(handle, playing))) }
            if let timer = capture.timer { actions.append(.cancelTimer(timer)) }
        }
        actions += leaveQueue(dropping: true)
        actions += releaseHold()
        outcome = .callbackRequested(queue: queue)
        actions.append(note(.queue("queue \(queue): callback to \(number), place kept"), at: now))
        stage = .inMenus(IVRSession(plan: plan, call: handle, entry: .hangup, reference: reference, playbackBase: nextIVRPlayback(),
                                    farewell: ["callback-kept"]))
        return actions + run(at: now) { $0.start(at: now) }
    }

    /// The switchboard refused the number (the plan's `callback-numbers` do not allow it, or no
    /// `outbound`): the caller is told so and may key another, or `*` to keep waiting.
    public mutating func callbackRefused(at now: Duration) -> [Action] {
        guard case .queued(var wait) = stage, wait.capture != nil else { return [] }
        wait.capture = CallbackCapture(number: nil)
        stage = .queued(wait)
        return playCapturePrompt(["callback-refused", "callback-enter-number"], at: now)
    }
}
