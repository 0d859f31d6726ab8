import TestSupport
import Testing
import ThroughlineCore

/// The hand-off rules, pure: checking a request, assignment by each rule, claims, due times
/// and overdue, with time as a number (Unix milliseconds).
@Suite("Hand-off rules")
struct HandoffRulesTests {
    static let billing = HandoffDepartment(name: "billing", title: "Billing", handles: ["refunds"], agents: ["bea", "cy", "di"],
                                           assign: .fewestOpen, due: .seconds(2 * 86400))
    static let reference: ReferenceNumber = {
        var generator = SplitMix64(seed: 3)
        return ReferenceNumber.random(using: &generator)
    }()

    static func handoff(owner: String?, due: Int64? = 10_000, status: Handoff.Status = .open) -> Handoff {
        Handoff(id: 7, reference: reference, fromDepartment: "sales", fromAgent: "sam", department: "billing", note: "refund shipping",
                createdAt: 1_000, dueAt: due, owner: owner, status: status)
    }

    @Test func aRequestNamesAKnownDepartmentAndANoteOfAtMost4KiB() {
        let departments = [Self.billing]
        guard case .success(let (department, note, due)) = HandoffRules.check(department: "billing", note: "  refund shipping \n", due: nil, in: departments) else {
            Issue.record("a good request was refused"); return
        }
        #expect(department.name == "billing" && note == "refund shipping" && due == .seconds(2 * 86400))
        #expect(HandoffRules.check(department: "biling", note: "x", due: nil, in: departments).failure == .unknownDepartment("biling", valid: ["billing"]))
        #expect(HandoffRules.check(department: "billing", note: " \n", due: nil, in: departments).failure == .emptyNote)
        let long = String(repeating: "é", count: 2049)  // 4,098 bytes
        #expect(HandoffRules.check(department: "billing", note: long, due: nil, in: departments).failure == .noteTooLong(bytes: 4098))
        #expect(HandoffRules.check(department: "billing", note: long, due: nil, in: departments).failure?.status == 413)
        #expect(HandoffRules.check(department: "billing", note: String(repeating: "a", count: 4096), due: nil, in: departments).failure == nil)
        #expect(HandoffRules.check(department: "billing", note: "x", due: "soon", in: departments).failure == .badDue("soon"))
        guard case .success(let (_, _, named)) = HandoffRules.check(department: "billing", note: "x", due: "4h", in: departments) else {
            Issue.record("a due time was refused"); return
        }
        #expect(named == .seconds(4 * 3600))
    }

    @Test func dueTimesAreAWholeNumberAndAUnitUpTo365Days() {
        #expect(HandoffRules.parseDue("90s") == .seconds(90))
        #expect(HandoffRules.parseDue("45m") == .seconds(2700))
        #expect(HandoffRules.parseDue("2d") == .seconds(172_800))
        #expect(HandoffRules.parseDue("365d") == .seconds(365 * 86400))
        for bad in ["366d", "0h", "-1d", "2", "d", "1.5h", "2 weeks", ""] { #expect(HandoffRules.parseDue(bad) == nil, "\(bad)") }
    }

    @Test func fewestOpenPicksTheLeastLoadedAgentAndTiesGoInPlanOrder() {
        #expect(HandoffRules.owner(for: Self.billing, openCounts: [:], lastAssigned: nil) == "bea")
        #expect(HandoffRules.owner(for: Self.billing, openCounts: ["bea": 2, "cy": 1, "di": 1], lastAssigned: "di") == "cy")
        #expect(HandoffRules.owner(for: Self.billing, openCounts: ["bea": 1, "cy": 1], lastAssigned: nil) == "di")
    }

    @Test func roundRobinGoesOnAfterTheLastAssignedAndWraps() {
        var d = Self.billing
        d.assign = .roundRobin
        #expect(HandoffRules.owner(for: d, openCounts: ["bea": 9], lastAssigned: nil) == "bea")
        #expect(HandoffRules.owner(for: d, openCounts: [:], lastAssigned: "bea") == "cy")
        #expect(HandoffRules.owner(for: d, openCounts: [:], lastAssigned: "di") == "bea")
        // The last one assigned has left the plan: start again at the first.
        #expect(HandoffRules.owner(for: d, openCounts: [:], lastAssigned: "zed") == "bea")
    }

    @Test func unassignedAndAgentlessDepartmentsLeaveItInTheInbox() {
        var d = Self.billing
        d.assign = .unassigned
        #expect(HandoffRules.owner(for: d, openCounts: [:], lastAssigned: nil) == nil)
        d.assign = .fewestOpen
        d.agents = []
        #expect(HandoffRules.owner(for: d, openCounts: [:], lastAssigned: nil) == nil)
    }

    @Test func onlyTheDepartmentsAgentsClaimAndASecondClaimNamesTheOwner() {
        let inbox = Self.handoff(owner: nil)
        #expect(HandoffRules.claim(inbox, by: "cy", agentDepartments: ["billing"]).failure == nil)
        #expect(HandoffRules.claim(inbox, by: "sam", agentDepartments: ["sales"]).failure == .notInDepartment(agent: "sam", department: "billing"))
        #expect(HandoffRules.claim(inbox, by: "sam", agentDepartments: ["sales"]).failure?.status == 403)
        let owned = Self.handoff(owner: "bea")
        #expect(HandoffRules.claim(owned, by: "cy", agentDepartments: ["billing"]).failure == .alreadyOwned(by: "bea"))
        #expect(HandoffRules.claim(owned, by: "cy", agentDepartments: ["billing"]).failure?.status == 409)
        #expect(HandoffRules.claim(owned, by: "bea", agentDepartments: ["billing"]).failure == nil)  // one's own: no change
        let closed = Self.handoff(owner: nil, status: .resolved)
        #expect(HandoffRules.claim(closed, by: "cy", agentDepartments: ["billing"]).failure == .closed(7, .resolved))
    }

    @Test func aHandoffIsOverdueFromItsDueTimeWhileOpen() {
        #expect(HandoffRules.dueAt(createdAt: 1_000, due: .seconds(9)) == 10_000)
        #expect(HandoffRules.dueAt(createdAt: 1_000, due: nil) == nil)
        let h = Self.handoff(owner: "bea", due: 10_000)
        #expect(!h.isOverdue(at: 9_999))
        #expect(h.isOverdue(at: 10_000))
        #expect(!Self.handoff(owner: "bea", due: nil).isOverdue(at: .max))
        #expect(!Self.handoff(owner: "bea", due: 10_000, status: .resolved).isOverdue(at: 20_000))
    }

    @Test func aCallsReasonIsASubjectSomeDepartmentHandlesOrOtherWithWords() {
        let sales = HandoffDepartment(name: "sales", title: "Sales", handles: ["new orders"], agents: [], assign: .fewestOpen, due: nil)
        let departments = [sales, Self.billing]
        #expect(CallReason.detail("refunds", text: nil, in: departments) == .success("refunds (Billing)"))
        #expect(CallReason.detail("other", text: " wrong number ", in: departments) == .success("other: wrong number"))
        #expect(CallReason.detail("other", text: " ", in: departments).failure?.message.contains("needs a \"text\"") == true)
        #expect(CallReason.detail("other", text: String(repeating: "x", count: 201), in: departments).failure != nil)
        #expect(CallReason.detail("refund", text: nil, in: departments).failure?.message
            == "'refund' is no subject the plan's departments handle (\"new orders\", \"refunds\", \"other\")")
    }

    @Test func theSummaryIsTheLineAPopShows() {
        let h = Self.handoff(owner: "carol", due: 1_000 + 4 * 3_600_000)
        #expect(HandoffRules.summary(h, departmentTitle: "Billing", at: 1_000 + 3 * 3_600_000 + 59_000)
            == "handed to Billing by sam 3 h ago: refund shipping; owner carol")
        #expect(HandoffRules.summary(Self.handoff(owner: nil, due: 5_000), departmentTitle: "Billing", at: 41_000)
            == "handed to Billing by sam 40 s ago: refund shipping; in Billing's inbox; overdue")
    }
}
