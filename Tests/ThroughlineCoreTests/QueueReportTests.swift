import Testing
import ThroughlineCore

/// The report's figures (docs/metrics.md) on hand-made event sequences, edge cases included.
@Suite("Queue reports from the durable record")
struct QueueReportTests {
    static func event(_ kind: QueueRecord.Event, _ call: String, queue: String = "sales", agent: String? = nil, department: String? = "sales",
                      campaign: String? = nil, at: Int64, wait: Int64 = 0, talk: Int64 = 0, within: Bool = false, short: Bool = false) -> RecordedQueueEvent {
        var r = QueueRecord(event: kind, callID: call, queue: queue, agent: agent, department: department, campaign: campaign, caller: "555")
        r.wait = .seconds(wait)
        r.talk = .seconds(talk)
        r.withinServiceLevel = within
        r.shortAbandon = short
        return RecordedQueueEvent(at: at, record: r)
    }

    @Test func serviceLevelAsaAndAbandonRateLeaveShortAbandonsOut() throws {
        let events = [
            Self.event(.enterQueue, "a", at: 0), Self.event(.connect, "a", agent: "sam", at: 10_000, wait: 10, within: true),
            Self.event(.completeCaller, "a", agent: "sam", at: 70_000, wait: 10, talk: 60),
            Self.event(.enterQueue, "b", at: 1_000), Self.event(.connect, "b", agent: "sam", at: 41_000, wait: 40, within: false),
            Self.event(.completeAgent, "b", agent: "sam", at: 101_000, wait: 40, talk: 60),
            // Hung up after 3 s: a short abandon, in neither base.
            Self.event(.enterQueue, "c", at: 2_000), Self.event(.abandon, "c", at: 5_000, wait: 3, short: true),
            // Hung up after 30 s: an abandon.
            Self.event(.enterQueue, "d", at: 3_000), Self.event(.abandon, "d", at: 33_000, wait: 30),
        ]
        let row = try #require(QueueReportBuilder.rows(events, by: .queue).first)
        let f = row.figures
        #expect(row.group == "sales" && row.intervalStart == nil)
        #expect(f.offered == 4 && f.answered == 2 && f.answeredWithinServiceLevel == 1 && f.abandoned == 1 && f.shortAbandoned == 1)
        #expect(f.serviceLevel == 1.0 / 3.0)  // 1 within ÷ (2 answered + 1 abandoned)
        #expect(f.abandonRate == 1.0 / 3.0)
        #expect(f.averageSpeedOfAnswer == .seconds(25))
        #expect(f.longestWait == .seconds(40))
        #expect(f.talk == .seconds(120) && f.completedByCaller == 1 && f.completedByAgent == 1)
    }

    @Test func anAbandonExactlyAtTheThresholdIsShortAsRecorded() throws {
        // The switchboard decides at the time, with the queue's setting then: `wait <=
        // short-abandon` is short. The report counts what was recorded.
        let figures = QueueReportBuilder.rows([Self.event(.abandon, "x", at: 0, wait: 5, short: true)], by: .queue)[0].figures
        #expect(figures.shortAbandoned == 1 && figures.abandoned == 0 && figures.serviceLevel == nil && figures.abandonRate == nil)
    }

    @Test func aCallAnsweredAfterOverflowCountsInBothQueues() throws {
        let events = [
            Self.event(.enterQueue, "o", queue: "sales", at: 0), Self.event(.exitWithTimeout, "o", queue: "sales", at: 60_000, wait: 60),
            Self.event(.enterQueue, "o", queue: "support", department: "support", at: 60_000),
            Self.event(.connect, "o", queue: "support", agent: "sue", department: "support", at: 65_000, wait: 5, within: true),
        ]
        let rows = QueueReportBuilder.rows(events, by: .queue)
        #expect(rows.map(\.group) == ["sales", "support"])
        #expect(rows[0].figures.overflowed == 1 && rows[0].figures.answered == 0 && rows[0].figures.longestWait == .seconds(60))
        #expect(rows[0].figures.serviceLevel == nil)  // nothing answered or abandoned there
        #expect(rows[1].figures.offered == 1 && rows[1].figures.answered == 1 && rows[1].figures.serviceLevel == 1)
        // By agent: only what agents had.
        let agents = QueueReportBuilder.rows(events, by: .agent)
        #expect(agents.map(\.group) == ["sue"] && agents[0].figures.answered == 1)
    }

    @Test func departmentsCampaignsAndFifteenMinuteIntervals() throws {
        let quarter: Int64 = 15 * 60_000
        let events = [
            Self.event(.enterQueue, "1", campaign: "launch", at: quarter - 1),
            Self.event(.enterQueue, "2", department: nil, at: quarter),
            Self.event(.enterQueue, "3", campaign: "launch", at: 2 * quarter + 5),
        ]
        #expect(QueueReportBuilder.rows(events, by: .department).map { "\($0.group) \($0.figures.offered)" } == ["- 1", "sales 2"])
        #expect(QueueReportBuilder.rows(events, by: .campaign).map { "\($0.group) \($0.figures.offered)" } == ["- 1", "launch 2"])
        let split = QueueReportBuilder.rows(events, by: .queue, interval: .seconds(900))
        #expect(split.map { "\($0.intervalStart!) \($0.figures.offered)" } == ["0 1", "\(quarter) 1", "\(2 * quarter) 1"])
    }

    @Test func theDepartmentCostReportChargesRepeatsTheirTalkHandoffsAndReasons() {
        var activity = DepartmentActivity()
        activity.repeats = ["billing": 2, "none": 1]
        activity.repeatTalk = ["billing": .seconds(90)]
        activity.handoffs = ["billing": .init(received: 3, overdue: 1, open: 2)]
        activity.reasons = ["billing": ["refunds (Billing)": 2, "other: wrong number": 2, "invoices (Billing)": 5], "sales": ["new orders (Sales)": 1]]
        let rows = DepartmentCostBuilder.rows(activity: activity)
        #expect(rows.map(\.department) == ["billing", "none", "sales"])
        #expect(rows[0].repeatCalls == 2 && rows[0].repeatTalk == .seconds(90))
        #expect(rows[0].handoffsReceived == 3 && rows[0].handoffsOverdue == 1 && rows[0].handoffsOpen == 2)
        // Most frequent first, ties by name.
        #expect(rows[0].reasons.map(\.reason) == ["invoices (Billing)", "other: wrong number", "refunds (Billing)"])
        #expect(rows[1].repeatCalls == 1 && rows[1].reasons.isEmpty && rows[2].reasons.map(\.count) == [1])
        // Rates: none without a base.
        #expect(rows[0].repeatRate == nil && rows[0].firstContactResolution == nil && rows[0].handoffsPerReference == nil)
        activity.offered = ["billing": 8]
        activity.resolutions = ["billing": .init(resolved: 4, firstContact: 3, handoffs: 2)]
        let billing = DepartmentCostBuilder.rows(activity: activity)[0]
        #expect(billing.repeatRate == 0.25 && billing.firstContactResolution == 0.75 && billing.handoffsPerReference == 0.5)
        // The CSV header, the table's titles and a row's cells line up.
        let body = DepartmentCostBody(billing)
        #expect(body.columns.count == DepartmentCostBody.CodingKeys.allCases.count && body.columns.count == DepartmentCostBody.tableHeader.count)
        #expect(body.columns[6...10] == ["8", "0.25", "4", "0.75", "0.5"])
    }

    @Test func queueLogLinesAreAsterisksFormat() {
        var connect = QueueRecord(event: .connect, callID: "482-103-3712", queue: "sales", agent: "sam", department: "sales", campaign: nil, caller: "5551234")
        connect.wait = .milliseconds(12_700)
        #expect(connect.queueLogLine(epochSeconds: 1_800_000_000) == "1800000000|482-103-3712|sales|sam|CONNECT|12|482-103-3712|0")
        var abandon = QueueRecord(event: .abandon, callID: "c", queue: "sales", department: nil, campaign: nil, caller: "1")
        abandon.position = 3
        abandon.wait = .seconds(31)
        #expect(abandon.queueLogLine(epochSeconds: 5) == "5|c|sales|NONE|ABANDON|3|3|31")
        let enter = QueueRecord(event: .enterQueue, callID: "c", queue: "sales", department: nil, campaign: nil, caller: "5551234")
        #expect(enter.queueLogLine(epochSeconds: 5) == "5|c|sales|NONE|ENTERQUEUE||5551234")
    }

    @Test func utcTimesParseDatesAndTimesAndRefuseTheRest() {
        #expect(UTCTimestamp.parse("1970-01-01") == 0)
        #expect(UTCTimestamp.parse("2026-11-30") == 1_795_996_800_000)
        let afternoon: Int64 = 1_795_996_800_000 + 15 * 3_600_000
        #expect(UTCTimestamp.parse("2026-11-30T15:00Z") == afternoon)
        #expect(UTCTimestamp.parse("2026-11-30T15:00:05Z") == afternoon + 5000)
        #expect(UTCTimestamp.parse("2026-11-30T15:00:05.250Z") == afternoon + 5250)
        #expect(UTCTimestamp.parse("2024-02-29") != nil)
        for bad in ["2026-02-29", "2026-13-01", "2026-11-30T25:00Z", "2026-11-30T15:00", "30/11/2026", "2026-11-30T15:00:5Z", ""] {
            #expect(UTCTimestamp.parse(bad) == nil, "\(bad)")
        }
        // Round trip with the printer.
        #expect(UTCTimestamp.parse(UTCTimestamp.string(unixMilliseconds: 1_796_139_123_456)) == 1_796_139_123_456)
    }
}

/// Occupancy's base: each agent's time available, from their status changes.
@Suite("Agents' time available")
struct StaffedTimeTests {
    typealias Change = StaffedTime.Change
    static let minute: Int64 = 60_000

    @Test func availableStretchesAreCutToThePeriodAndToIntervals() {
        let changes = [
            Change(agent: "ann", at: -10 * Self.minute, available: true),   // available since before the period
            Change(agent: "ann", at: 20 * Self.minute, available: false),   // paused at :20
            Change(agent: "ann", at: 25 * Self.minute, available: true),    // back at :25
            Change(agent: "ann", at: 40 * Self.minute, available: false),   // the controller stopped at :40
            Change(agent: "bo", at: 50 * Self.minute, available: true),     // in from :50 to the end
            Change(agent: "cy", at: -5 * Self.minute, available: false),    // paused all along
        ]
        let whole = StaffedTime.totals(changes, from: 0, to: 60 * Self.minute)
        #expect(whole == [.init(agent: "ann", slot: nil): 35 * Self.minute, .init(agent: "bo", slot: nil): 10 * Self.minute])
        let quarters = StaffedTime.totals(changes, from: 0, to: 60 * Self.minute, intervalMs: 15 * Self.minute)
        #expect(quarters[.init(agent: "ann", slot: 0)] == 15 * Self.minute)
        #expect(quarters[.init(agent: "ann", slot: 15 * Self.minute)] == 10 * Self.minute)  // :15-:20 and :25-:30
        #expect(quarters[.init(agent: "ann", slot: 30 * Self.minute)] == 10 * Self.minute)
        #expect(quarters[.init(agent: "ann", slot: 45 * Self.minute)] == nil)
        #expect(quarters[.init(agent: "bo", slot: 45 * Self.minute)] == 10 * Self.minute)
    }

    @Test func occupancyIsTalkOverTimeAvailable() {
        var figures = ReportFigures()
        figures.talk = .seconds(45 * 60)
        let row = ReportRowBody(QueueReportBuilder.Row(group: "ann", intervalStart: nil, figures: figures), staffed: .seconds(60 * 60))
        #expect(row.staffedSeconds == 3600 && row.occupancy == 0.75)
        #expect(ReportRowBody(QueueReportBuilder.Row(group: "ann", intervalStart: nil, figures: figures), staffed: .zero).occupancy == nil)
        #expect(ReportRowBody(QueueReportBuilder.Row(group: "sales", intervalStart: nil, figures: figures)).staffedSeconds == nil)
    }
}
