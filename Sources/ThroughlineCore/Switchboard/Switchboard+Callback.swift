/// Call backs: a waiting caller's place kept without them holding. The caller confirms a
/// number (`CallSession+Callback.swift`); here it is checked against the plan, the caller's
/// entry in the queue engine becomes the call back's (same join time, same priority, so it
/// is routed among the callers by that and never ahead of those who came first), and the
/// store keeps it. When the engine offers it to an agent it is placed
/// (`Switchboard+CallbackPlacing.swift`): only to the plan's `outbound` URI, only to a number
/// its `callback-numbers` allow. Here too: retries coming due, cancels, restarts, shutdown.
extension Switchboard {
    /// How long the customer's phone may ring.
    public static let customerRing: Duration = .seconds(30)
    /// How long the customer has, once answered, to key 1.
    public static let customerKeyWait: Duration = .seconds(20)

    /// The wall clock now, in Unix milliseconds (`wallClockAtStart` plus the time since).
    var wallNow: Int64 { wallClockAtStart + Int64((now - startedAt).clampedNanoseconds / 1_000_000) }

    /// A wall-clock time on the queue engine's clock.
    func routerTime(ofWall milliseconds: Int64) -> Duration { routerNow - .milliseconds(wallNow - milliseconds) }

    // MARK: the caller asks

    /// The caller confirmed `number` (inside `perform`, for `call`): accepted, their place in
    /// the queue is the call back's and they hear so; refused, they are told and may key another.
    mutating func callbackRequested(_ number: String, by call: inout Call) {
        let handle = call.incoming.handle
        let settings = call.plan.plan.settings
        guard let queueName = router.queueOf(handle), let definition = call.plan.plan.queue(queueName) ?? plan.plan.queue(queueName) else {
            return log(.warning, "callback.refused", Self.fields(call) + [("number", number), ("why", "the caller is not waiting in a queue")])
        }
        guard let outbound = settings.outbound?.value, let pattern = settings.callbackNumbers.first(where: { $0.matches(number) }) else {
            let why = settings.outbound == nil ? "the plan has no outbound" : "no callback-numbers pattern allows it"
            log(.warning, "callback.refused", Self.fields(call) + [("queue", queueName), ("number", number), ("why", why)])
            journey(call, .callback, "callback to \(number) refused: \(why)")
            perform(call.session.callbackRefused(at: elapsed(call)), for: &call)
            return
        }
        guard let (joined, released) = router.withdraw(handle, at: routerNow) else { return }
        followUps += released.map(FollowUp.router)
        let joinedWall = wallNow - Int64((routerNow - joined).clampedNanoseconds / 1_000_000)
        var pending: PendingCallback
        if let id = callbacks.pendingID(number: number, queue: queueName), var existing = callbacks.pending[id] {
            // One call back per number and queue: the earlier place stands.
            existing.joinedAt = min(existing.joinedAt, joinedWall)
            pending = existing
            log(.info, "callback.duplicate", Self.fields(call) + [("callback", String(id)), ("queue", queueName), ("number", number)])
            if callbacks.placing[id] == nil, callbacks.pending[id]?.retryAt == nil {
                // Re-filed at the earlier of the two places.
                withdrawCallback(existing.handle)
                callbacks.pending[id] = pending
                rejoin(pending, definition)
            } else {
                callbacks.pending[id] = pending
            }
        } else {
            pending = PendingCallback(
                id: callbacks.takeID(), number: number, queue: queueName, reference: call.reference?.description,
                department: definition.department?.value, priority: call.route.priority, presented: call.incoming.dialled,
                joinedAt: joinedWall, requestedAt: wallNow)
            callbacks.pending[pending.id] = pending
            rejoin(pending, definition)
        }
        emit(.callbackSaved(pending))
        emit(.queueTally(queueName, .calledBack(handle)))
        publishCallbackCounts(queueName)
        log(.info, "callback.requested", Self.fields(call) + [("callback", String(pending.id)), ("queue", queueName), ("number", number),
                                                             ("pattern", pattern.text), ("outbound", outbound),
                                                             ("joined_at", UTCTimestamp.string(unixMilliseconds: pending.joinedAt))])
        journey(call, .callback, "callback to \(number) requested in queue \(queueName); place kept from \(UTCTimestamp.string(unixMilliseconds: pending.joinedAt))")
        var record = Self.record(.callback, call, queue: queueName)
        record.wait = routerNow - joined
        emit(.record(record))
        perform(call.session.callbackAccepted(queue: queueName, number: number, at: elapsed(call)), for: &call)
    }

    /// The call back takes its place in the queue engine again (after a request, a retry, a restart).
    mutating func rejoin(_ pending: PendingCallback, _ definition: Queue) {
        followUps += router.callerJoined(pending.handle, queue: definition, priority: pending.priority,
                                         callbackJoinedAt: routerTime(ofWall: pending.joinedAt), at: routerNow).map(FollowUp.router)
    }

    /// The queue engine's verdict on a call back: answered is its connection (recorded as
    /// `CONNECT` under the caller's reference, the wait from the caller's first join); a call
    /// back never overflows nor is sent on when the queue empties.
    mutating func callbackFinishedInQueue(_ handle: CallHandle, queue: String, _ outcome: QueueOutcome) {
        let id = PendingCallback.id(of: handle)
        guard let run = callbacks.placing[id] else { return }
        log(.info, "queue.outcome", callbackFields(run) + [("outcome", outcome.description)])
        guard case .answered(let agent, let wait) = outcome else { return }
        var record = QueueRecord(event: .connect, callID: run.pending.reference ?? "callback-\(id)", queue: queue, agent: agent,
                                 department: run.pending.department, campaign: nil, caller: run.pending.number)
        record.wait = wait
        record.withinServiceLevel = wait <= queueDefinition(queue)?.serviceLevel ?? .seconds(20)
        emit(.record(record))
    }

    // MARK: timers, cancels, restarts

    mutating func callbackTimerFired(_ timer: CallbackTimer) {
        switch timer {
        case .retry(let id):
            guard var pending = callbacks.pending[id], callbacks.placing[id] == nil else { return }
            pending.retryAt = nil
            callbacks.pending[id] = pending
            guard let definition = queueDefinition(pending.queue) else { return finishCallback(pending, .dropped) }
            log(.info, "callback.rejoined", [("callback", String(id)), ("queue", pending.queue), ("number", pending.number)])
            emit(.callbackSaved(pending))
            rejoin(pending, definition)
        case .ring(let id, let sequence), .key(let id, let sequence):
            guard var run = callbacks.placing[id], run.timer == timer else { return }
            run.timer = nil
            callbacks.placing[id] = run
            // The leg's end (487 or 200) moves the run on.
            let leg = LegID(call: run.handle, sequence: sequence)
            if let handle = legTable.handle(of: leg) {
                emit(.telephony(.hangup(handle, code: 487), LogContext(callbackFields(run) + [("leg", leg.description), ("why", "\(timer)")])))
            }
        }
    }

    /// A caller got through to an agent: a call back pending for their number is owed no more.
    mutating func calledIn(_ number: String) {
        guard !number.isEmpty else { return }
        for id in callbacks.pending.keys.sorted() {
            guard let pending = callbacks.pending[id], pending.number == number, callbacks.placing[id] == nil else { continue }
            cancel(pending, .calledIn, why: "the customer called in and reached an agent", journey: "cancelled: the customer called in and reached an agent")
        }
    }

    mutating func cancelCallback(_ id: Int64) {
        guard let pending = callbacks.pending[id] else { return emit(.reply(.callbackCancelled(refused: "no pending callback \(id)"))) }
        guard callbacks.placing[id] == nil else { return emit(.reply(.callbackCancelled(refused: "callback \(id) is being placed now"))) }
        cancel(pending, .cancelled, why: "cancelled by an admin", journey: "cancelled by an admin")
        emit(.reply(.callbackCancelled(refused: nil)))
    }

    /// A pending call back not being placed is owed no more: out of the queue, logged, on
    /// the journey, ended.
    private mutating func cancel(_ pending: PendingCallback, _ end: CallbackEnd, why: String, journey: String) {
        withdrawCallback(pending.handle)
        log(.info, "callback.cancelled", [("callback", String(pending.id)), ("number", pending.number), ("why", why)])
        callbackJourney(pending, "callback to \(pending.number) \(journey)")
        finishCallback(pending, end)
    }

    /// The call back leaves the queue engine (agents offered it released without penalty).
    mutating func withdrawCallback(_ handle: CallHandle) {
        if let (_, actions) = router.withdraw(handle, at: routerNow) { followUps += actions.map(FollowUp.router) }
    }

    /// At start: the store's pending call backs take their places again; one due during the
    /// downtime is placed as soon as an agent is free, at its place.
    mutating func callbacksRestored(_ restored: [PendingCallback], nextID: Int64) {
        callbacks.nextID = max(callbacks.nextID, nextID)
        for pending in restored.sorted(by: { $0.joinedAt < $1.joinedAt }) {
            callbacks.nextID = max(callbacks.nextID, pending.id + 1)
            guard let definition = queueDefinition(pending.queue) else {
                log(.warning, "callback.dropped", [("callback", String(pending.id)), ("queue", pending.queue), ("why", "the plan has no such queue")])
                finishCallback(pending, .dropped)
                continue
            }
            callbacks.pending[pending.id] = pending
            emit(.callbackSaved(pending))  // listed again (`GET /api/callbacks`)
            if let retryAt = pending.retryAt, retryAt > wallNow {
                callbackTimers.schedule(.retry(id: pending.id), at: (now + .milliseconds(retryAt - wallNow)).clampedNanoseconds)
            } else {
                callbacks.pending[pending.id]?.retryAt = nil
                rejoin(callbacks.pending[pending.id]!, definition)
            }
            log(.info, "callback.restored", [("callback", String(pending.id)), ("queue", pending.queue), ("number", pending.number),
                                              ("joined_at", UTCTimestamp.string(unixMilliseconds: pending.joinedAt))])
        }
        for queue in Set(restored.map(\.queue)).sorted() { publishCallbackCounts(queue) }
    }

    /// At shutdown: legs being placed are hung up; the call backs stay pending in the store.
    mutating func callbacksShutDown() {
        for id in callbacks.placing.keys.sorted() {
            let run = callbacks.placing[id]!
            hangUpAgent(run, code: 503)
            hangUpCustomer(run, code: 503)
        }
    }

    // MARK: helpers

    func callbackFields(_ run: CallbackRun) -> [(String, String)] {
        [("callback", String(run.pending.id)), ("reference", run.pending.reference ?? ""), ("queue", run.pending.queue), ("number", run.pending.number)]
    }

    mutating func callbackJourney(_ pending: PendingCallback, _ detail: String) {
        guard let text = pending.reference, let reference = try? ReferenceNumber(parsing: text) else { return }
        emit(.journey(JourneyEntry(reference: reference, kind: .callback, detail: detail, call: "callback-\(pending.id)", author: nil)))
    }

    /// The agent's pop for a call back: the number, the queue, the reference (the shell adds its journey).
    func callbackPop(_ run: CallbackRun) -> PopBody {
        let pending = run.pending
        let waited = Double(max(0, wallNow - pending.joinedAt)) / 1000
        var pop = PopBody(call: run.handle.description, sipCallID: "callback-\(pending.id)", agent: run.agent, reference: pending.reference,
                          caller: pending.number, dialled: pending.presented, route: "callback", campaign: nil,
                          path: [PathStepBody(at: "0s", step: "callback requested in queue \(pending.queue)")],
                          waitSeconds: (waited * 10).rounded() / 10, queue: pending.queue)
        pop.callback = pending.number
        return pop
    }
}
