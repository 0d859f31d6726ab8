import Foundation
import ThroughlineCore

/// Screen pops and the CRM webhook, on the controller thread. A pop goes to the agent's desks
/// right after their phone's INVITE has left (the switchboard puts `offered` just after
/// `dial`, and the ordering rule sends every INVITE first), so it is on screen while the
/// phone rings, and building it never delays the ring; the webhook gets the same context
/// for offer, answer and end.
extension CallController {
    /// Journey events a pop or webhook carries: the newest ones. A caller who rings every day
    /// builds a long journey, and the pop is built on the controller thread; the desk and the
    /// `Call-Info` URL give the whole journey.
    static let popJourneyLimit = 50

    /// The switchboard's context with the reference's part from the store (journey entries
    /// waiting are committed first, so it reads them).
    func withReference(_ pop: PopBody) -> PopBody {
        writeJourney()
        return pop.with(Self.referenceContext(pop.reference, book: references, titles: departmentTitles))
    }

    /// The reference's status, holder, newest journey events and open hand-off (its
    /// department's title from `titles`), read from the store; called on the controller
    /// thread, or on an HTTP thread for a desk that connects while its phone rings.
    static func referenceContext(_ reference: String?, book: ReferenceBook?, titles: [String: String]) -> ReferenceContextBody? {
        guard let text = reference, let reference = try? ReferenceNumber(parsing: text),
              let summary = try? book?.find(reference, lastEvents: popJourneyLimit) else { return nil }
        let handoff = summary.isOpen ? (try? book?.openHandoff(reference)).flatMap { $0 } : nil
        return ReferenceContextBody(
            referenceStatus: summary.status, department: summary.department, journeyTotal: summary.eventCount,
            journey: summary.events.map { JourneyEventBody(at: $0.at, kind: $0.kind, detail: $0.detail, author: $0.author) },
            handoff: handoff.map { HandoffBody($0, departmentTitle: titles[$0.department] ?? $0.department, at: Date().unixMilliseconds) })
    }

    /// Each department's title in the plan in force.
    var departmentTitles: [String: String] {
        Dictionary(directory(plan).map { ($0.department, $0.title) }, uniquingKeysWith: { first, _ in first })
    }

    /// Who handles what in `plan`: every department with its agents (cached per version).
    func directory(_ plan: PlanVersion) -> [DirectoryDepartmentBody] {
        if let cached = directoryCache, cached.version == plan.version { return cached.departments }
        let departments = plan.plan.departments.map { d in
            DirectoryDepartmentBody(department: d.name.value, title: d.title, handles: d.handles,
                                    agents: plan.plan.agents.filter { a in a.departments.contains { $0.value == d.name.value } }.map(\.name.value))
        }
        directoryCache = (plan.version, departments)
        return departments
    }

    /// The directory and agents' departments, for desks (at start and after each reload).
    public func publishDirectory() {
        board.setDirectory(directory(plan), rules: HandoffDepartment.all(in: plan.plan))
        var departments: [String: Set<String>] = [:]
        for agent in plan.plan.agents { departments[agent.name.value] = Set(agent.departments.map(\.value)) }
        pops?.setDepartments(departments)
    }

    /// Pops the offer on the agent's desks and tells the webhook. The reference's part (a
    /// store read) is read now only if a desk or the webhook will use it; otherwise only when
    /// a desk connects while the phone still rings. Either way the INVITE has already left.
    func offerPopped(_ context: PopBody, member: String) {
        guard pops != nil || webhook != nil else { return }
        if webhook != nil || pops?.desks(for: member) ?? 0 > 0 { writeJourney() }  // the pop reads it now
        var pop = context
        let reference = pop.reference, book = references, titles = departmentTitles
        let referencePart: PopHub.Completion = { Self.referenceContext(reference, book: book, titles: titles) }
        if webhook != nil { pop = pop.with(referencePart()) }
        let now = Date()
        pop.offeredAt = Logger.timestamp(now)
        pop.offeredAtMicroseconds = Int64(now.timeIntervalSince1970 * 1e6)  // for pop latency, on the same machine's clock
        var desk = pop
        desk.directory = directory(plan)
        pops?.offer(agent: member, desk, completing: webhook == nil ? referencePart : nil)
        webhook?.post("offer", pop)
    }
}
