/// What a call's machine asked for, done: telephony passed on, timers kept, steps journalled,
/// agents dialled through the leg table (or skipped, when the queue engine says they may
/// not take a hunt's call), the queue engine told.
extension Switchboard {
    mutating func perform(_ actions: [CallSession.Action], for call: inout Call) {
        for action in actions {
            switch action {
            case .telephony(let command):
                emit(.telephony(command, LogContext(Self.fields(call))))
            case .queue(let report):
                queueReported(report, by: &call)
            case .startTimer(let timer, let after):
                timers.schedule(timer, at: (now + after).clampedNanoseconds)
            case .cancelTimer(let timer):
                timers.cancel(timer)
            case .step(let step):
                log(.info, "ivr.step", Self.fields(call) + [("at", StatementReader.format(step.at)), ("step", step.description)])
                journal(step, of: call)
            case .outcome(let outcome):
                log(.info, "ivr.outcome", Self.fields(call) + [("outcome", outcome.description)])
            case .huntOutcome(let outcome):
                log(.info, "hunt.outcome", Self.fields(call) + [("outcome", outcome.description)])
                huntEnded(outcome, for: call)
            case .lookupReference(let reference):
                emit(.lookUpReference(call.incoming.handle, reference))
            case .dialLeg(let leg, let member, let planContact):
                dial(leg, member: member, planContact: planContact, for: call)
            case .dropLeg(let leg):
                guard let handle = legTable.handle(of: leg) else { break }
                emit(.telephony(.hangup(handle, code: 487), LogContext(Self.fields(call) + [("leg", leg.description)])))
            case .bridgeLeg(let leg):
                guard let handle = legTable.handle(of: leg) else { break }
                emit(.telephony(.bridge(call.incoming.handle, handle), LogContext(Self.fields(call) + [("leg", leg.description)])))
            case .duplicateKey(let digit, let method):
                log(.info, "dtmf.duplicate", Self.fields(call) + [("digit", digit.description), ("method", method.rawValue),
                                                                  ("why", "the same key by the other method just before")])
            }
        }
    }

    /// Rings `member` for the call: a hunt rings only agents who are available and not on a
    /// queue call (the queue engine chose its own offers already); a registering agent is
    /// rung at their registration, or the leg fails. The INVITE carries the call's Call-ID,
    /// the member, and the reference with where to read it (RFC 3261 section 20.9
    /// `Call-Info`); the pop (when wanted) follows it, built while the phone starts ringing.
    private mutating func dial(_ leg: LegID, member: String, planContact: String, for call: Call) {
        let caller = call.incoming.handle
        if call.session.queueLegs[leg] == nil, let why = router.agent(member)?.huntRefusal {
            log(.info, "leg.skipped", Self.fields(call) + [("leg", leg.description), ("member", member), ("why", why)])
            followUps.append(.legFailed(caller, leg, reason: why))
            return
        }
        guard let contact = planContact.isEmpty ? router.agent(member)?.contact : planContact else {
            log(.info, "leg.failed", Self.fields(call) + [("leg", leg.description), ("member", member), ("error", "not registered")])
            followUps.append(.legFailed(caller, leg, reason: "not registered"))
            return
        }
        let offered = wantsPops ? context(call, member: member) : nil
        let handle = legTable.open(caller: caller, leg: leg, member: member, offered: offered)
        var headers = [SIPHeader("X-Throughline-Call-ID", call.incoming.sipCallID), SIPHeader("X-Throughline-Member", member)]
        if let reference = call.reference {
            headers.append(SIPHeader("X-Throughline-Reference", reference.description))
            if let base = httpBase { headers.append(SIPHeader("Call-Info", "<\(base)/api/references/\(reference)>;purpose=info")) }
        }
        emit(.dial(AgentDial(
            command: .dial(handle, to: contact, callerID: call.incoming.caller, headers: headers,
                           srtp: call.plan.plan.agent(member)?.srtp ?? call.plan.plan.settings.srtp),
            leg: leg, member: member,
            dialled: LogLine(.info, "leg.dialled", Self.fields(call) + [("leg", leg.description), ("member", member), ("contact", contact)]),
            isQueueOffer: call.session.queueLegs[leg] != nil)))
        if let offered { emit(.offered(member: member, offered)) }
    }

    /// The call's line on the wallboard.
    mutating func publish(_ call: Call) {
        guard calls[call.incoming.handle] != nil else { return }
        let session = call.session
        let state: String = switch session.state {
        case .answering: "answering"
        case .keyingReference: "keying a reference"
        case .inMenus: "menu \(session.currentMenu ?? "")"
        case .ringingAgents(let hunt): "ringing hunt \(hunt)"
        case .connected(let member, _): "connected to \(member)"
        case .transferring(let member, _, let target): "\(member) transferring to \(target)"
        case .queued(let queue):
            session.queueLegs.isEmpty ? "queued in \(queue)" : "queued in \(queue), ringing \(session.queueLegs.values.sorted().joined(separator: ", "))"
        case .hangingUp: "hanging-up"
        case .ended: "ended"
        }
        emit(.callShown(call.incoming.handle, CallBody(
            call: call.incoming.handle.description, sipCallID: call.incoming.sipCallID, reference: call.reference?.description,
            from: call.incoming.caller, to: call.incoming.dialled, campaign: call.campaign, plan: call.plan.version, state: state)))
    }

    /// What an agent (or a CRM) needs to know about a call offered to them, as the
    /// switchboard knows it (the shell adds the reference's status and journey from the store).
    func context(_ call: Call, member: String) -> PopBody {
        var queue: String?, hunt: String?
        if case .queued(let q) = call.session.state { queue = q }
        if case .ringingAgents(let h) = call.session.state { hunt = h }
        return PopBody(
            call: call.incoming.handle.description, sipCallID: call.incoming.sipCallID, agent: member,
            reference: call.reference?.description, caller: call.incoming.caller, dialled: call.incoming.dialled,
            route: call.route.number ?? "default", campaign: call.campaign,
            path: call.session.path.map { PathStepBody(at: StatementReader.format($0.at), step: $0.description) },
            waitSeconds: (Double(elapsed(call).clampedNanoseconds) / 1e8).rounded() / 10, queue: queue, hunt: hunt)
    }
}
