import Controller
import Foundation
import TestSupport
import Testing
import ThroughlineCore

/// The campaign watch tells a campaign's department when it is announced and when it starts,
/// once each, in the marquee of its agents' desks (not other departments'), and logs it.
@Suite("Campaign notices to the desks")
struct CampaignWatchTests {
    static let starts = UTCTimestamp.parse("2026-12-01T09:00Z")!

    @Test func theDepartmentsDesksHearOfTheCampaignOnceWhenAnnouncedAndOnceWhenItStarts() throws {
        let board = StatusBoard()
        board.setPlan(TestPlans.loaded(TestPlans.salesAndBilling + """

        campaign launch {
          title "Launch"
          department sales
          starts "2026-12-01T09:00Z"
          notice 1h
          message "Pre-orders open"
        }
        """))
        let pops = PopHub()
        pops.setDepartments(["ann": ["sales"], "bo": ["billing"]])
        let sales = pops.subscribe(agent: "ann", hello: DeskHelloBody(agent: Self.agent("ann"), directory: []))
        let billing = pops.subscribe(agent: "bo", hello: DeskHelloBody(agent: Self.agent("bo"), directory: []))
        _ = sales.next(timeout: 0.1); _ = billing.next(timeout: 0.1)  // the hellos
        let logs = LogCapture()
        let watch = CampaignWatch(board: board, pops: pops, logger: logs.logger())

        watch.check(at: Self.starts - 2 * 3_600_000)  // the first check only notes the phases
        watch.check(at: Self.starts - 3_600_000 + 1)  // within the notice
        watch.check(at: Self.starts - 1000)           // still announced: nothing new
        let announced = sales.next(timeout: 0.1) ?? ""
        #expect(announced.contains("event: broadcast") && announced.contains("Campaign Launch starts 2026-12-01 09:00 UTC: Pre-orders open"), "\(announced)")
        #expect(announced.components(separatedBy: "event: broadcast").count == 2, "told twice: \(announced)")
        watch.check(at: Self.starts)
        #expect((sales.next(timeout: 0.1) ?? "").contains("Campaign Launch is running: Pre-orders open"))
        #expect(billing.next(timeout: 0.1) == nil, "billing's desk heard of sales' campaign")
        #expect(logs.lines(event: "campaign.announced").count == 1 && logs.lines(event: "campaign.started").count == 1)
        // A desk opened now reads it in its hello.
        #expect(CampaignWatch.notices(in: board.planInForce, for: ["sales"], at: Self.starts) == ["Campaign Launch is running: Pre-orders open"])
        #expect(CampaignWatch.notices(in: board.planInForce, for: ["billing"], at: Self.starts).isEmpty)
    }

    static func agent(_ name: String) -> AgentBody {
        AgentBody(agent: name, name: name, status: "available", reason: nil, state: "idle", call: nil, contact: nil, callsTaken: 0, heldBack: false, queues: [])
    }
}
