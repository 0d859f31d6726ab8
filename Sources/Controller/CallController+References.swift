import Foundation
import ThroughlineCore

/// References on the controller thread: issued (or recognised) at a call's first touch and
/// written before it is routed; the journey written as the call goes (menus, queues, agents,
/// transfers, the end); keyed references looked up; finished calls' records stored. A store
/// failure is logged and the call goes on without (a caller is never refused for it).
extension CallController {
    struct FirstTouch {
        var reference: ReferenceNumber?
        /// Where a repeat caller goes instead of the route's target.
        var target: Target?
        var lastAgent: String?
        /// The department the repeat is counted against ("none" when it had none yet).
        var repeatOf: String?
    }

    func firstTouch(_ incoming: IncomingCall, route: Route, plan: Dialplan) -> FirstTouch {
        guard let book = references else { return FirstTouch() }
        do {
            if let open = try book.openReference(caller: incoming.caller, within: plan.settings.repeatCallerWindow) {
                let department = open.department ?? "none"
                try book.append(open.reference, kind: .repeat, detail: department, call: incoming.sipCallID, author: nil)
                let target = open.department.flatMap { plan.entry(forDepartment: $0) }
                logger.log(.info, "reference.repeat", [("call", incoming.handle.description), ("reference", open.reference.description),
                                                       ("department", department), ("last_agent", open.lastAgent ?? ""),
                                                       ("target", target?.description ?? route.target.value.description)])
                return FirstTouch(reference: open.reference, target: target, lastAgent: target == nil ? nil : open.lastAgent, repeatOf: department)
            }
            var detail = "from \(incoming.caller.isEmpty ? "anonymous" : incoming.caller) to \(incoming.dialled), route \(route.number ?? "default")"
            if let campaign = route.campaign { detail += ", campaign \(campaign)" }
            let reference = try book.issue(caller: incoming.caller, call: incoming.sipCallID, detail: detail)
            return FirstTouch(reference: reference)
        } catch {
            logger.log(.error, "reference.failed", [("call", incoming.handle.description), ("error", "\(error)"),
                                                    ("why", "the call goes on without a reference")])
            return FirstTouch()
        }
    }

    /// One journey event on the call's reference: written, with the input's others in one
    /// transaction, when the input has been handled (after any agent INVITE it sent), or
    /// sooner when something is about to read the journey (`writeJourney`).
    func journey(_ call: Call, _ kind: JourneyKind, _ detail: String) {
        guard references != nil, let reference = call.reference else { return }
        waitingJourney.append(JourneyEntry(reference: reference, kind: kind, detail: detail, call: call.incoming.sipCallID, author: nil))
    }

    /// Commits the journey events waiting. Called on the controller thread at the end of each
    /// input and before the controller reads a journey.
    func writeJourney() {
        guard let book = references, !waitingJourney.isEmpty else { return }
        let entries = waitingJourney
        waitingJourney.removeAll()
        do {
            try book.append(entries)
        } catch {
            logger.log(.error, "reference.failed", [("references", Set(entries.map(\.reference.description)).sorted().joined(separator: ",")),
                                                    ("events", String(entries.count)), ("error", "\(error)")])
        }
    }

    /// The steps that tell another department what happened: menus entered, choices made,
    /// references keyed, hunt and queue notes; not every prompt and wait.
    func journal(_ step: IVRStep, of call: Call) {
        switch step.kind {
        case .menuEntered(let menu, let attempt) where attempt == 1: journey(call, .menu, "menu \(menu)")
        case .chosen(let keys, let target): journey(call, .menu, "keyed \(keys) -> \(target)")
        case .failure(let target): journey(call, .menu, "no valid choice -> \(target)")
        case .reference(let text): journey(call, .reference, text)
        case .transfer(let text): journey(call, .transfer, text)
        default: break
        }
    }

    func huntEnded(_ outcome: HuntOutcome, for call: Call) {
        journey(call, .hunt, outcome.description)
        if case .answered(let member, _) = outcome, let book = references, let reference = call.reference {
            try? book.setHolder(reference, department: call.plan.plan.agent(member)?.departments.first?.value, agent: member)
        }
    }

    /// A queue outcome on the call's journey; an answer makes the queue's department and the
    /// agent the reference's holders.
    func queueEnded(_ handle: CallHandle, queue: String, _ outcome: QueueOutcome, call: Call?) {
        guard let call else { return }
        journey(call, .queue, "queue \(queue): \(outcome)")
        if case .answered(let agent, _) = outcome, let book = references, let reference = call.reference {
            let department = call.plan.plan.queue(queue)?.department?.value ?? router.queueDepartment(queue)
            try? book.setHolder(reference, department: department, agent: agent)
        }
    }

    /// A caller keyed a valid reference: the store says whether it exists and who holds it.
    /// Found, the call is attached to it (the journey of both says so) and goes to the
    /// department's entry; the answer reaches the call after the current event.
    func lookUp(_ reference: ReferenceNumber, for call: inout Call) {
        let handle = call.incoming.handle
        var target: Target?
        if let book = references, let found = try? book.find(reference, lastEvents: 0) {
            target = found.department.flatMap { call.plan.plan.entry(forDepartment: $0) } ?? call.route.target.value
            if let own = call.reference, own != reference {
                journey(call, .attached, "the caller keyed \(reference); this call continues there")
            }
            try? book.append(reference, kind: .attached, detail: "call from \(call.incoming.caller.isEmpty ? "anonymous" : call.incoming.caller) keyed it",
                             call: call.incoming.sipCallID, author: nil)
            call.reference = reference
            logger.log(.info, "reference.keyed", Self.fields(call) + [("found", "yes"), ("department", found.department ?? ""),
                                                                      ("target", target!.description)])
        } else {
            logger.log(.info, "reference.keyed", Self.fields(call) + [("keyed", reference.description), ("found", "no")])
        }
        deferredInputs.append((handle, { session, now in session.referenceLookedUp(reference, target: target, at: now) }))
    }

    /// The call is over: the journey's last event (at once, like every reference write) and
    /// the record, encoded and stored on a background queue (records are not on any caller's
    /// path, and their JSON is the costliest thing a call's end does).
    func callFinished(_ record: CallRecord, call: Call) {
        guard let book = references else { return }
        journey(call, .ended, "\(record.outcome) (SIP \(record.code))")
        // Committed now, not at the end of the input: the call's `call.ended` line is already
        // out, and no agent INVITE waits on a call's end (an agent's hang-up is its own input).
        writeJourney()
        let reference = call.reference, sipCallID = call.incoming.sipCallID, fields = Self.fields(call), logger = logger
        Self.recordWriter.async {
            do {
                try book.saveCallRecord(json: record.jsonText, reference: reference, sipCallID: sipCallID)
            } catch {
                logger.log(.error, "record.failed", fields + [("error", "\(error)")])
            }
        }
    }

    /// One serial queue for stored call records, in the order calls ended.
    static let recordWriter = DispatchQueue(label: "throughline.records")
}
