/// The SIP adapter's events: each goes to the call's machine, or, for an agent's leg, to the
/// machine of the caller it serves (found in the leg table).
extension Switchboard {
    mutating func apply(_ event: TelephonyEvent) {
        if let handle = event.callHandle {
            if let owner = legTable.entry(handle), PendingCallback.isCallback(owner.caller) { return callbackLegEvent(event, owner) }
            if case .promptFinished(_, let playback) = event, PendingCallback.isCallback(playback.call) {
                return callbackPromptFinished(playback)
            }
        }
        switch event {
        case .callArrived(let incoming):
            arrived(incoming, touch: .none)
        case .registration(let login, let contact, let expires):
            registered(login, contact: contact, expires: expires)
        case .registrationRefused(let login, let reason):
            log(.warning, "registration.refused", [("login", login), ("reason", reason)])
        case .callRefused(let from, let sipCallID, let reason):
            log(.warning, "call.refused", [("reason", reason), ("from", from), ("sip_call_id", sipCallID)])
        case .sourceBlocked(let block):
            // A stable line for fail2ban filters and SIEMs: event, source, then the figures.
            log(.warning, "security.blocked", [("source", block.source), ("failures", String(block.failures)),
                                               ("block_seconds", String(block.duration.components.seconds)),
                                               ("until", UTCTimestamp.string(unixMilliseconds: block.untilUnixMilliseconds)),
                                               ("why", "failed authentications")])
            emit(.sourceBlock(block, active: true))
        case .sourceUnblocked(let block):
            log(.info, "security.unblocked", [("source", block.source), ("blocked_at", UTCTimestamp.string(unixMilliseconds: block.blockedAtUnixMilliseconds))])
            emit(.sourceBlock(block, active: false))
        case .floodShedding(let shed):
            log(.warning, "security.flood", [("source", shed.source), ("limit", String(shed.limit)),
                                             ("window_seconds", String(shed.window.components.seconds)), ("why", "request flood")])
            emit(.floodShedding(shed, active: true))
        case .floodEnded(let shed, let dropped, let endedAt):
            log(.info, "security.flood-ended", [("source", shed.source), ("dropped", String(dropped)),
                                                ("duration_ms", String(endedAt - shed.startedAtUnixMilliseconds)),
                                                ("started_at", UTCTimestamp.string(unixMilliseconds: shed.startedAtUnixMilliseconds))])
            emit(.floodShedding(shed, active: false))
        case .callProgress(let handle, let code):
            guard let owner = legTable.entry(handle) else { return }
            log(.info, "leg.ringing", callFields(owner.caller) + [("leg", owner.leg.description), ("code", String(code))])
        case .callAnswered(let handle):
            guard let owner = legTable.entry(handle) else { return }
            log(.info, "leg.answered", callFields(owner.caller) + [("leg", owner.leg.description)])
            if wantsPops, let call = calls[owner.caller] {
                emit(.answeredByAgent(member: owner.member, caller: owner.caller, reference: call.reference?.description,
                                      context: wantsContexts ? context(call, member: owner.member) : nil))
            }
            update(owner.caller) { call, at in call.session.legAnswered(owner.leg, at: at) }
        case .mediaActive(let handle) where legTable.entry(handle) != nil:
            let owner = legTable.entry(handle)!
            update(owner.caller) { call, at in call.session.legMediaActive(owner.leg, at: at) }
        case .transferRequested(let handle, let target):
            guard let owner = legTable.entry(handle) else { return }
            log(.info, "transfer.requested", callFields(owner.caller) + [("leg", owner.leg.description), ("target", target)])
            transfers.requested(target: target, caller: owner.caller, leg: owner.leg, at: now)
            update(owner.caller) { call, at in call.session.transferRequested(owner.leg, target: target, at: at) }
        case .callEnded(let handle, _, _) where legTable.isCarrier(handle):
            _ = legTable.removeCarrier(handle)
        case .callEnded(let handle, let code, let reason) where legTable.entry(handle) != nil:
            let owner = legTable.close(handle)!
            legGone(owner, code: code)
            for carrier in legTable.carriers(of: owner.leg) {
                emit(.telephony(.hangup(carrier, code: 200), LogContext()))  // the transfer is complete
            }
            log(.info, "leg.ended", callFields(owner.caller) + [("leg", owner.leg.description), ("code", String(code)),
                                                              ("reason", reason), ("legs", String(legTable.count))])
            update(owner.caller) { call, at in call.session.legEnded(owner.leg, code: code, reason: reason, at: at) }
        case .mediaActive(let handle):
            if let call = calls[handle] { log(.info, "call.media-active", Self.fields(call)) }
            update(handle) { call, at in call.session.mediaActive(at: at) }
        case .promptFinished(let handle, let playback):
            if let call = calls[handle] { log(.debug, "prompt.finished", Self.fields(call) + [("playback", playback.description)]) }
            update(handle) { call, at in call.session.promptFinished(playback, at: at) }
        case .digitReceived(let handle, let digit, let method):
            if let call = calls[handle] {
                log(.info, "dtmf.received", Self.fields(call) + [("digit", digit.description), ("method", method.rawValue)])
            }
            update(handle) { call, at in call.session.digitReceived(digit, method: method, at: at) }
        case .callEnded(let handle, let code, let reason):
            callEnded(handle, code: code, reason: reason)
        }
    }

    /// The caller's call is over: its machine releases everything, the queue engine has its
    /// last word, and the record is made.
    private mutating func callEnded(_ handle: CallHandle, code: Int, reason: String) {
        guard var call = calls.removeValue(forKey: handle) else { return }
        let actions = call.session.callEnded(code: code, at: elapsed(call))
        completedCalls += 1
        emit(.callGone(handle))
        perform(actions, for: &call)
        // A caller leaving a queue: the engine's verdict (abandoned, with the wait) is the
        // call's outcome; it comes through the follow-ups, applied now.
        endedCalls[handle] = call
        settleFollowUps()
        endedCalls[handle] = nil
        let queueOutcome = endedQueueOutcomes.removeValue(forKey: handle)
        let keys = call.session.path.compactMap { step -> String? in
            if case .key(let d) = step.kind { return d.description } else { return nil }
        }.joined()
        let outcome = queueOutcome ?? call.session.outcome
        log(.info, "call.ended", Self.fields(call) + [
            ("code", String(code)), ("reason", reason), ("keys", keys), ("outcome", outcome.description), ("active", String(calls.count)),
        ])
        let steps = call.session.path.map { PathStepBody(at: StatementReader.format($0.at), step: $0.description) }
            + (queueOutcome.map { [PathStepBody(at: StatementReader.format(elapsed(call)), step: $0.description)] } ?? [])
        let finished = FinishedCall(
            call: handle, sipCallID: call.incoming.sipCallID, reference: call.reference, from: call.incoming.caller, to: call.incoming.dialled,
            route: call.route.number ?? "default", campaign: call.campaign, plan: call.plan.version, planHash: call.plan.hash,
            code: code, reason: reason, outcome: outcome, keys: keys, steps: steps, elapsed: elapsed(call))
        journey(call, .ended, "\(outcome) (SIP \(code))")
        emit(.callFinished(finished))
    }

    /// An agent's INVITE could not be sent: the leg is gone (its desk saw the offer) and the
    /// call's machine hears it failed.
    mutating func dialFailed(_ handle: CallHandle, error: String) {
        if let owner = legTable.entry(handle), PendingCallback.isCallback(owner.caller) {
            log(.warning, "leg.failed", [("leg", owner.leg.description), ("member", owner.member), ("error", error)])
            return callbackLegEvent(.callEnded(handle, code: 500, reason: "dial failed"), owner)
        }
        guard let entry = legTable.close(handle) else { return }
        legGone(entry, code: 500)
        log(.warning, "leg.failed", callFields(entry.caller) + [("leg", entry.leg.description), ("member", entry.member), ("error", error)])
        followUps.append(.legFailed(entry.caller, entry.leg, reason: "dial failed"))
    }

    /// A leg's call ended (or its INVITE could not be sent): its desk and the webhook are told,
    /// with the call's context now, or as offered when the caller's call ended first.
    mutating func legGone(_ entry: LegTable.Entry, code: Int) {
        guard wantsPops else { return }
        let call = calls[entry.caller] ?? endedCalls[entry.caller]
        let latest = wantsContexts ? call.map { context($0, member: entry.member) } ?? entry.offered : nil
        emit(.legGone(member: entry.member, caller: entry.caller, reference: call?.reference?.description ?? entry.offered?.reference,
                      code: code, context: latest))
    }

    /// The desk's transfer button: the caller leaves the agent for the department's entry.
    mutating func deskTransfer(_ text: String, department: String) {
        guard let raw = UInt64(text), let call = calls[CallHandle(raw)] else {
            return emit(.reply(.deskTransfer(refused: "no call \(text) is up")))
        }
        guard let target = call.plan.plan.entry(forDepartment: department) else {
            return emit(.reply(.deskTransfer(refused: "department '\(department)' has no entry and no queue")))
        }
        guard case .connected = call.session.state else {
            return emit(.reply(.deskTransfer(refused: "call \(text) is not connected to an agent")))
        }
        log(.info, "transfer.desk", Self.fields(call) + [("department", department), ("target", target.description)])
        update(call.incoming.handle) { call, at in call.session.transferredByDesk(to: target, department: department, at: at) }
        emit(.reply(.deskTransfer(refused: nil)))
    }

    /// Follow-ups queued so far and those they produce, done now, in order. Called at the end
    /// of each input, and when a call ends (its record needs the queue engine's verdict).
    mutating func settleFollowUps() {
        while !followUps.isEmpty {
            let pending = followUps
            followUps.removeAll(keepingCapacity: true)
            for work in pending {
                switch work {
                case .router(let action): routerActed(action)
                case .legFailed(let caller, let leg, let reason):
                    update(caller) { call, at in call.session.legEnded(leg, code: 500, reason: reason, at: at) }
                }
            }
        }
    }
}
