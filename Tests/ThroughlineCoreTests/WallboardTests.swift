import Testing
import ThroughlineCore

/// The wallboard's pure parts: today's figures agree with the report's, tiles take their
/// colour from the thresholds, agents are counted by what they do, campaigns warn when the
/// waiting callers outrun the staffed agents.
@Suite("Wallboard")
struct WallboardTests {
    static let noon = UTCTimestamp.parse("2026-11-30T12:00Z")!

    static func plan(_ extra: String = "") -> Dialplan {
        DialplanParser.parse([.init(path: "p.dialplan", text: """
        settings {
          \(extra)
        }
        department sales {
          title "Sales"
        }
        queue sales {
          department sales
          service-level 20s
          wrap-up 10s
        }
        queue vip {
          department sales
          warn-when waiting 2
        }
        campaign launch {
          department sales
          starts "2026-11-30T09:00Z"
          expected 120/h
        }
        route "1" campaign launch -> queue sales
        """)]).plan
    }

    static func agent(_ name: String, status: String = "available", state: String = "idle", queues: [String] = ["sales"]) -> AgentBody {
        AgentBody(agent: name, name: name, status: status, reason: nil, state: state, call: nil, contact: "sip:x@127.0.0.1",
                  callsTaken: 0, heldBack: false, queues: queues)
    }

    static func inputs(_ plan: Dialplan, waiting: [String: [Int64]] = [:], agents: [AgentBody] = [], today: WallboardToday? = nil,
                       calls: CampaignCalls = CampaignCalls()) -> WallboardBuilder.Inputs {
        WallboardBuilder.Inputs(plan: plan, now: noon, waiting: waiting, agents: agents, today: today ?? WallboardToday(now: noon),
                                history: WallboardHistory(), campaignCalls: calls)
    }

    @Test func todaysFiguresAreTheReportsFiguresAndANewDayStartsEmpty() {
        let events = [
            QueueReportTests.event(.enterQueue, "a", at: Self.noon), QueueReportTests.event(.connect, "a", agent: "sam", at: Self.noon + 5_000, wait: 5, within: true),
            QueueReportTests.event(.enterQueue, "b", queue: "vip", at: Self.noon + 1_000), QueueReportTests.event(.abandon, "b", queue: "vip", at: Self.noon + 41_000, wait: 40),
            QueueReportTests.event(.enterQueue, "c", at: Self.noon + 2_000), QueueReportTests.event(.abandon, "c", at: Self.noon + 4_000, wait: 2, short: true),
        ]
        var today = WallboardToday(now: Self.noon)
        // Half seeded from the store's sums (as at a restart), half added live.
        today.seed(byQueue: QueueReportBuilder.totals(Array(events.prefix(3)), by: .queue),
                   byDepartment: QueueReportBuilder.totals(Array(events.prefix(3)), by: .department))
        events.dropFirst(3).forEach { today.add($0) }
        let report = Dictionary(uniqueKeysWithValues: QueueReportBuilder.rows(events, by: .queue).map { ($0.group, $0.figures) })
        #expect(today.byQueue == report)
        #expect(today.byDepartment["sales"] == QueueReportBuilder.rows(events, by: .department).first?.figures)
        #expect(today.all.answered == 1 && today.all.abandoned == 1 && today.all.shortAbandoned == 1 && today.all.serviceLevel == 0.5)
        today.add(QueueReportTests.event(.enterQueue, "d", at: Self.noon + 12 * 3_600_000))
        #expect(today.all.offered == 1 && today.all.answered == 0 && today.day == UTCTimestamp.parse("2026-12-01")!)
    }

    @Test func tilesTurnAmberAtTheServiceLevelAndRedAtTwiceByDefault() throws {
        let plan = Self.plan()
        func tile(waitedSeconds: Int64) throws -> WallboardBody.QueueTile {
            try #require(WallboardBuilder.build(Self.inputs(plan, waiting: ["sales": [Self.noon - waitedSeconds * 1000]])).queues.first)
        }
        #expect(try tile(waitedSeconds: 19).colour == .ok)
        let amber = try tile(waitedSeconds: 20)
        #expect(amber.colour == .warn && amber.why == ["longest wait 20 s ≥ 20 s"] && amber.longestWaitSeconds == 20)
        #expect(try tile(waitedSeconds: 40).colour == .alarm)
    }

    @Test func planThresholdsOverrideClauseByClauseAndADepartmentTakesTheWorst() throws {
        let plan = Self.plan("alarm-when waiting 3, service-level-below 50")
        let board = WallboardBuilder.build(Self.inputs(plan, waiting: ["vip": [Self.noon, Self.noon], "sales": [Self.noon, Self.noon, Self.noon]]))
        let vip = try #require(board.queues.first { $0.name == "vip" })
        let sales = try #require(board.queues.first { $0.name == "sales" })
        #expect(vip.colour == .warn && vip.why == ["2 waiting ≥ 2"])
        #expect(sales.colour == .alarm && sales.why == ["3 waiting ≥ 3"])
        #expect(board.departments.first?.colour == .alarm && board.departments.first?.waiting == 5)

        var today = WallboardToday(now: Self.noon)
        today.add(QueueReportTests.event(.abandon, "x", at: Self.noon - 1000, wait: 30))
        let red = WallboardBuilder.build(Self.inputs(plan, today: today)).queues.first { $0.name == "sales" }
        #expect(red?.colour == .alarm && red?.why == ["service level 0 % < 50 %"] && red?.today.abandoned == 1)
    }

    @Test func agentsAreCountedByWhatTheyDoOncePerDepartment() throws {
        let agents = [Self.agent("a"), Self.agent("b", state: "talking", queues: ["sales", "vip"]), Self.agent("c", state: "offered"),
                      Self.agent("d", state: "wrap-up"), Self.agent("e", status: "paused", queues: ["vip"]), Self.agent("f", status: "logged-out")]
        let board = WallboardBuilder.build(Self.inputs(Self.plan(), agents: agents))
        let sales = try #require(board.queues.first { $0.name == "sales" })
        #expect([sales.agents.available, sales.agents.ringing, sales.agents.talking, sales.agents.wrapUp, sales.agents.paused] == [1, 1, 1, 1, 0])
        let department = try #require(board.departments.first)
        #expect([department.agents.available, department.agents.ringing, department.agents.talking, department.agents.wrapUp, department.agents.paused]
                == [1, 1, 1, 1, 1])
        #expect(department.agents.staffed == 4)
    }

    @Test func aRunningCampaignCountsTheLastHourAndWarnsWhenWaitingOutrunsTheAgents() throws {
        var calls = CampaignCalls()
        calls.arrived(campaign: "launch", at: Self.noon - 3_600_000)  // an hour ago: out of the window
        for i in 0..<5 { calls.arrived(campaign: "launch", at: Self.noon - Int64(i) * 60_000) }
        // One agent free, two talking with no conversation today (180 s assumed + 10 s wrap-up:
        // each has a 20/190 chance of coming free within 20 s): one caller can be answered.
        let agents = [Self.agent("a"), Self.agent("b", state: "talking"), Self.agent("c", state: "talking")]
        let board = WallboardBuilder.build(Self.inputs(Self.plan(), waiting: ["sales": [Self.noon, Self.noon]], agents: agents, calls: calls))
        let tile = try #require(board.campaigns.first)
        #expect(tile.phase == "running" && tile.callsLastHour == 5 && tile.expectedPerHour == 120)
        #expect(tile.perMinute.count == 60 && tile.perMinute.suffix(5) == [1, 1, 1, 1, 1] && tile.perMinute.reduce(0, +) == 5)
        #expect(tile.warning == "2 waiting in Sales; 3 staffed agents can answer about 1 within 20 s")
        let calm = WallboardBuilder.build(Self.inputs(Self.plan(), waiting: ["sales": [Self.noon]], agents: agents, calls: calls))
        #expect(calm.campaigns.first?.warning == nil)
    }

    @Test func theHourChartKeepsEachMinutesPeakAndOnlyTheLastHour() {
        var history = WallboardHistory()
        history.sample(at: Self.noon, waiting: 2, serviceLevel: nil)
        history.sample(at: Self.noon + 30_000, waiting: 5, serviceLevel: 0.9)
        history.sample(at: Self.noon + 59_999, waiting: 1, serviceLevel: 0.8)
        #expect(history.minutes == [.init(at: Self.noon, peakWaiting: 5, serviceLevel: 0.8)])
        history.sample(at: Self.noon + 60 * 60_000, waiting: 0, serviceLevel: 0.8)
        #expect(history.minutes.map(\.at) == [Self.noon + 60 * 60_000])
    }
}
