import Foundation
import ThroughlineCore

/// Screen pops, the CRM webhook and desk transfers, on the controller thread. A pop goes to
/// the agent's desks before their phone's INVITE is sent (so it is on screen before they
/// answer); the webhook gets the same context for offer, answer and end.
extension CallController {
    /// Journey events a pop or webhook carries: the newest ones. A caller who rings every day
    /// builds a long journey, and the pop is built on the controller thread before the agent's
    /// INVITE; the desk and the `Call-Info` URL give the whole journey.
    static let popJourneyLimit = 50

    /// What an agent (or a CRM) needs to know about a call being offered to them: the call's
    /// own context and its reference's.
    func context(_ call: Call, member: String) -> PopBody {
        writeJourney()
        return callContext(call, member: member).with(Self.referenceContext(call.reference, book: references))
    }

    /// The call as the controller knows it (no store read).
    func callContext(_ call: Call, member: String) -> PopBody {
        var queue: String?, hunt: String?
        if case .queued(let q) = call.session.state { queue = q }
        if case .ringingAgents(let h) = call.session.state { hunt = h }
        return PopBody(
            call: call.incoming.handle.description, sipCallID: call.incoming.sipCallID, agent: member,
            reference: call.reference?.description, caller: call.incoming.caller, dialled: call.incoming.dialled,
            route: call.route.number ?? "default", campaign: call.route.campaign,
            path: call.session.path.map { PathStepBody(at: StatementReader.format($0.at), step: $0.description) },
            waitSeconds: (Double(Self.nanoseconds(elapsed(call))) / 1e8).rounded() / 10, queue: queue, hunt: hunt)
    }

    /// The reference's status, holder and newest journey events, read from the store; called
    /// on the controller thread, or on an HTTP thread for a desk that connects while its phone
    /// rings.
    static func referenceContext(_ reference: ReferenceNumber?, book: ReferenceBook?) -> ReferenceContextBody? {
        guard let reference, let summary = try? book?.find(reference, lastEvents: popJourneyLimit) else { return nil }
        return ReferenceContextBody(
            referenceStatus: summary.status, department: summary.department, journeyTotal: summary.eventCount,
            journey: summary.events.map { JourneyEventBody(at: $0.at, kind: $0.kind, detail: $0.detail, author: $0.author) })
    }

    /// Who handles what in `plan`: every department with its agents (cached per version).
    func directory(_ plan: LoadedPlan) -> [DirectoryDepartmentBody] {
        if let cached = directoryCache, cached.version == plan.version { return cached.departments }
        let departments = plan.plan.departments.map { d in
            DirectoryDepartmentBody(department: d.name.value, title: d.title, handles: d.handles,
                                    agents: plan.plan.agents.filter { a in a.departments.contains { $0.value == d.name.value } }.map(\.name.value))
        }
        directoryCache = (plan.version, departments)
        return departments
    }

    /// Pops the offer on the agent's desks and tells the webhook; returns the context sent.
    /// The reference's part (a store read) is read now only if a desk or the webhook will use
    /// it; otherwise only when a desk connects while the phone still rings. Either way the
    /// INVITE follows at once.
    func offerPopped(_ call: Call, member: String) -> PopBody? {
        guard pops != nil || webhook != nil else { return nil }
        if webhook != nil || pops?.desks(for: member) ?? 0 > 0 { writeJourney() }  // the pop reads it now
        var pop = callContext(call, member: member)
        let reference = call.reference, book = references
        let referencePart: PopHub.Completion = { Self.referenceContext(reference, book: book) }
        if webhook != nil { pop = pop.with(referencePart()) }
        let now = Date()
        pop.offeredAt = Logger.timestamp(now)
        pop.offeredAtMicroseconds = Int64(now.timeIntervalSince1970 * 1e6)  // for pop latency, on the same machine's clock
        var desk = pop
        desk.directory = directory(call.plan)
        pops?.offer(agent: member, desk, completing: webhook == nil ? referencePart : nil)
        webhook?.post("offer", pop)
        return pop
    }

    func legAnswered(_ handle: CallHandle, caller: CallHandle) {
        guard let member = legTable.entry(handle)?.member, let call = calls[caller] else { return }
        pops?.publish(agent: member, .answered(LegPopBody(call: caller.description, reference: call.reference?.description)))
        webhook?.post("answer", context(call, member: member))
    }

    /// A leg's call ended (or its INVITE could not be sent): its desk and the webhook are told.
    func legGone(_ entry: LegTable.Entry, code: Int) {
        let member = entry.member, offered = entry.offered, caller = entry.caller
        let reference = (calls[caller] ?? endedCalls[caller])?.reference?.description ?? offered?.reference
        pops?.publish(agent: member, .ended(LegPopBody(call: caller.description, reference: reference, code: code)))
        guard let webhook else { return }
        // The caller's call may have ended first: then the context as it was offered.
        guard var latest = (calls[caller] ?? endedCalls[caller]).map({ self.context($0, member: member) }) ?? offered else { return }
        latest.code = code
        webhook.post("end", latest)
    }

    /// The desk's transfer button: the caller leaves the agent for the department's entry.
    func transferFromDesk(_ text: String, department: String, reply: @Sendable (String?) -> Void) {
        guard let raw = UInt64(text), calls[CallHandle(raw)] != nil else { return reply("no call \(text) is up") }
        let handle = CallHandle(raw)
        guard let target = calls[handle]!.plan.plan.entry(forDepartment: department) else {
            return reply("department '\(department)' has no entry and no queue")
        }
        guard case .connected = calls[handle]!.session.state else { return reply("call \(text) is not connected to an agent") }
        logger.log(.info, "transfer.desk", Self.fields(calls[handle]!) + [("department", department), ("target", target.description)])
        update(handle) { call, now in call.session.transferredByDesk(to: target, department: department, at: now) }
        reply(nil)
    }
}
