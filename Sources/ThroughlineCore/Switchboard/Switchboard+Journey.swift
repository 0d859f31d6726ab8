/// References as the call goes: the journey entries that tell another department what
/// happened (menus, choices, hunts, queues, transfers, the end), the holder when an agent
/// answers, and a keyed reference's lookup answered.
extension Switchboard {
    /// One journey event on the call's reference (none when the call has no reference).
    mutating func journey(_ call: Call, _ kind: JourneyKind, _ detail: String) {
        guard let reference = call.reference else { return }
        emit(.journey(JourneyEntry(reference: reference, kind: kind, detail: detail, call: call.incoming.sipCallID, author: nil)))
    }

    /// The steps worth a journey entry: menus entered, choices made, references keyed,
    /// transfers; not every prompt and wait.
    mutating func journal(_ step: IVRStep, of call: Call) {
        switch step.kind {
        case .menuEntered(let menu, let attempt) where attempt == 1: journey(call, .menu, "menu \(menu)")
        case .chosen(let keys, let target): journey(call, .menu, "keyed \(keys) -> \(target)")
        case .failure(let target): journey(call, .menu, "no valid choice -> \(target)")
        case .reference(let text): journey(call, .reference, text)
        case .transfer(let text): journey(call, .transfer, text)
        default: break
        }
    }

    /// A hunt's verdict on the journey; an answer makes the agent (and their first
    /// department) the reference's holder.
    mutating func huntEnded(_ outcome: HuntOutcome, for call: Call) {
        journey(call, .hunt, outcome.description)
        if case .answered(let member, _) = outcome, let reference = call.reference {
            emit(.setHolder(reference, department: call.plan.plan.agent(member)?.departments.first?.value, agent: member))
        }
        if case .answered = outcome { calledIn(call.incoming.caller) }
    }

    /// The store answered a keyed reference's lookup. Found, the call is attached to it (the
    /// journey of both says so) and goes to the holding department's entry, or its route's
    /// target when none holds it; not found, the caller hears so and may key again.
    mutating func referenceLookedUp(_ handle: CallHandle, _ reference: ReferenceNumber, found: LookedUpReference?) {
        guard var call = calls[handle] else { return }
        var target: Target?
        if let found {
            let entry = found.department.flatMap { call.plan.plan.entry(forDepartment: $0) }
            target = entry ?? call.route.target.value
            if let own = call.reference, own != reference {
                journey(call, .attached, "the caller keyed \(reference); this call continues there")
            }
            if found.isOpen && call.reference != reference {
                // Calling again about an open issue: charged to its holder, and offered to
                // the agent who has it (its hand-off's owner) first.
                emit(.chargeRepeat(reference, department: found.department, sipCallID: call.incoming.sipCallID))
                call.chargedTo = found.department ?? "none"
                if entry != nil { call.lastAgent = found.lastAgent }
            }
            emit(.journey(JourneyEntry(reference: reference, kind: .attached,
                                       detail: "call from \(call.incoming.caller.isEmpty ? "anonymous" : call.incoming.caller) keyed it",
                                       call: call.incoming.sipCallID, author: nil)))
            call.reference = reference
            calls[handle] = call
            log(.info, "reference.keyed", Self.fields(call) + [("found", "yes"), ("department", found.department ?? ""), ("target", target!.description)])
        } else {
            log(.info, "reference.keyed", Self.fields(call) + [("keyed", reference.description), ("found", "no")])
        }
        update(handle) { call, at in call.session.referenceLookedUp(reference, target: target, at: at) }
    }
}
