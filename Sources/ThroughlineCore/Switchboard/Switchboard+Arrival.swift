/// Calls arriving: a referred call completing a transfer, a feature code from an agent's
/// phone, or a caller routed by the plan in force (refused 404 when no route takes the
/// number, 503 while shutting down).
extension Switchboard {
    /// What the store should do for `incoming` before it is routed (issue a reference or find
    /// the caller's open one), or nil when the call will not be routed (a referred call, a
    /// feature code, no route, shutting down). Called by the shell, which then sends
    /// `.callArrived(incoming, touch)`, with nothing in between.
    public func referenceTouch(for incoming: IncomingCall) -> ReferenceTouch.Request? {
        guard !isReferred(incoming), shutdownReason == nil, FeatureCode(rawValue: incoming.dialled) == nil,
              let route = plan.plan.route(forDialled: incoming.dialled) else { return nil }
        var detail = "from \(incoming.caller.isEmpty ? "anonymous" : incoming.caller) to \(incoming.dialled), route \(route.number ?? "default")"
        if let campaign = plan.plan.campaign(for: route, at: incoming.arrivedAt) { detail += ", campaign \(campaign)" }
        return ReferenceTouch.Request(caller: incoming.caller, sipCallID: incoming.sipCallID,
                                      window: plan.plan.settings.repeatCallerWindow, detail: detail)
    }

    /// pjsua places a referred call from the local account (From <sip:HOST>, no user). Such a
    /// call is only ever taken for a pending transfer (refused 404 otherwise), so the
    /// controller never routes a call to itself.
    func isReferred(_ incoming: IncomingCall) -> Bool {
        guard let own = ownAddress, incoming.caller.isEmpty else { return false }
        return Self.host(SIPURI.hostPort(of: incoming.remoteURI)) == Self.host(own)
    }

    mutating func arrived(_ incoming: IncomingCall, touch: ReferenceTouch) {
        if isReferred(incoming) { return referredCallArrived(incoming) }
        var fields: [(String, String)] = [("call", incoming.handle.description), ("sip_call_id", incoming.sipCallID),
                                          ("from", incoming.caller), ("to", incoming.dialled), ("remote", incoming.remoteURI)]
        if isShuttingDown {
            log(.info, "call.refused", fields + [("code", "503"), ("reason", "shutting down")])
            return emit(.telephony(.hangup(incoming.handle, code: 503), LogContext()))
        }
        if let code = FeatureCode(rawValue: incoming.dialled) { return featureCodeCalled(code, incoming) }
        let current = plan
        guard let route = current.plan.route(forDialled: incoming.dialled) else {
            log(.info, "call.refused", fields + [("code", "404"), ("reason", "no route for the dialled number"), ("plan", String(current.version))])
            return emit(.telephony(.hangup(incoming.handle, code: 404), LogContext()))
        }
        // A repeat caller goes straight back to the department that holds their reference,
        // and to their last agent (the owner of its hand-off there) first.
        var routed = route, lastAgent: String?, repeatOf: String?
        if case .repeatCaller(let reference, let department, let agent, let handoff) = touch {
            let target = department.flatMap { current.plan.entry(forDepartment: $0) }
            log(.info, "reference.repeat", [("call", incoming.handle.description), ("reference", reference.description),
                                            ("department", department ?? "none"), ("last_agent", agent ?? ""),
                                            ("handoff", handoff.map(String.init) ?? ""),
                                            ("target", target?.description ?? route.target.value.description)])
            if let target { routed.target = Located(target, at: route.target.location) }
            lastAgent = target == nil ? nil : agent
            repeatOf = department ?? "none"
        }
        let (session, actions) = CallSession.start(incoming.handle, plan: current.plan, route: routed, prompts: current.prompts,
                                                   reference: touch.reference?.digits, caller: incoming.caller)
        var call = Call(incoming: incoming, plan: current, route: route, session: session, arrivedAt: now,
                        reference: touch.reference, lastAgent: lastAgent)
        call.chargedTo = repeatOf
        call.campaign = current.plan.campaign(for: route, at: incoming.arrivedAt)
        calls[incoming.handle] = call
        fields += [("reference", touch.reference?.description ?? ""), ("repeat", repeatOf ?? "no"),
                   ("route", route.number ?? "default"), ("campaign", call.campaign ?? ""), ("target", routed.target.value.description),
                   ("plan", String(current.version)), ("plan_hash", current.hash), ("active", String(calls.count))]
        log(.info, "call.arrived", fields)
        perform(actions, for: &call)
        if calls[incoming.handle] != nil { calls[incoming.handle] = call }
        publish(call)
    }

    /// A call from this controller's own address answering a pending transfer (pjsua places
    /// it for the REFER it accepted): answered when the plan names the target, so pjsua tells
    /// the agent "200 OK" in its NOTIFY; refused with 404 otherwise. It carries no media.
    private mutating func referredCallArrived(_ incoming: IncomingCall) {
        guard let transfer = transfers.claim(target: incoming.dialled, at: now) else {
            log(.warning, "call.refused", [("call", incoming.handle.description), ("code", "404"), ("reason", "referred call with no pending transfer")])
            return emit(.telephony(.hangup(incoming.handle, code: 404), LogContext()))
        }
        guard let owner = calls[transfer.caller] else {
            return emit(.telephony(.hangup(incoming.handle, code: 404), LogContext()))
        }
        let plan = owner.plan.plan
        let target: Target? = plan.queue(transfer.target).map { .queue($0.name.value) }
            ?? plan.hunt(transfer.target).map { .hunt($0.name.value) }
            ?? plan.menu(transfer.target).map { .menu($0.name.value) }
        guard let target else {
            log(.info, "transfer.refused", callFields(transfer.caller) + [("target", transfer.target), ("why", "no queue, hunt or menu of that name")])
            emit(.telephony(.hangup(incoming.handle, code: 404), LogContext()))
            return update(transfer.caller) { call, at in call.session.transferRefused(at: at) }
        }
        legTable.addCarrier(incoming.handle, for: transfer.leg)
        emit(.telephony(.answer(incoming.handle, code: 200), LogContext()))
        log(.info, "transfer.accepted", callFields(transfer.caller) + [("target", target.description)])
        update(transfer.caller) { call, at in call.session.transferAccepted(to: target, at: at) }
    }

    /// An agent's phone dialled a feature code: set the status, confirm, hang up. A phone
    /// that is no agent's (by the address its INVITE came from) is refused 403.
    private mutating func featureCodeCalled(_ code: FeatureCode, _ incoming: IncomingCall) {
        let source = incoming.source
        guard let agent = router.agent(phoneAt: source), let actions = router.statusChanged(agent, to: code.status, at: routerNow) else {
            log(.warning, "call.refused", [("call", incoming.handle.description), ("code", "403"), ("to", incoming.dialled),
                                           ("source", source), ("reason", "feature code from a phone that is no agent's")])
            return emit(.telephony(.hangup(incoming.handle, code: 403), LogContext()))
        }
        log(.info, "agent.status", [("agent", agent), ("status", code.status.word), ("reason", code.status.reason ?? ""),
                                    ("by", "feature code \(code.rawValue)")])
        followUps += actions.map(FollowUp.router)
        let location = SourceLocation(file: "<feature-code>", line: 0, column: 0)
        let route = Route(number: incoming.dialled, priority: 0, target: Located(.hangup, at: location), location: location)
        let (session, start) = CallSession.start(incoming.handle, plan: plan.plan, route: route, prompts: plan.prompts,
                                                 farewell: [code.prompt])
        var call = Call(incoming: incoming, plan: plan, route: route, session: session, arrivedAt: now)
        calls[incoming.handle] = call
        perform(start, for: &call)
        if calls[incoming.handle] != nil { calls[incoming.handle] = call }
    }
}
