import Testing
import ThroughlineCore

/// Campaign blocks: how they read, what `check` refuses, which campaign a call answers and
/// what the desks are told when.
@Suite("Campaigns")
struct CampaignTests {
    static let base = """
    department sales {
      title "Sales"
    }
    queue sales {
      department sales
      join-empty yes
    }
    """

    func plan(_ text: String) -> (Dialplan, [Diagnostic]) {
        let (plan, parsed) = DialplanParser.parse([.init(path: "p.dialplan", text: Self.base + "\n" + text)])
        return (plan, parsed + DialplanChecker.check(plan, prompts: nil))
    }

    func campaignErrors(_ text: String) -> [String] {
        plan(text).1.filter { $0.severity == .error && ($0.message.contains("campaign") || $0.message.contains("rate") || $0.message.contains("time")) }
            .map(\.description)
    }

    static let day: Int64 = 86_400_000
    static let dec1 = UTCTimestamp.parse("2026-12-01T09:00Z")!

    @Test func aBlockReadsEveryStatement() throws {
        let (plan, diagnostics) = plan("""
        campaign launch {
          title "Launch"
          department sales
          starts "2026-12-01T09:00Z"
          ends "2026-12-02"
          expected 400/h
          notice 2d
          message "Mailing lands Tuesday"
        }
        route "5552000" campaign launch priority 10 -> queue sales
        """)
        #expect(diagnostics.filter { $0.severity == .error && !$0.message.contains("prompt folder") }.isEmpty, "\(diagnostics)")
        let c = try #require(plan.campaign("launch"))
        #expect(c.title == "Launch" && c.department?.value == "sales" && c.expectedPerHour == 400 && c.notice == .seconds(2 * 86400))
        #expect(c.starts?.value == Self.dec1 && c.ends?.value == UTCTimestamp.parse("2026-12-02T00:00Z"))
        #expect(c.message == "Mailing lands Tuesday")
        #expect(plan.routes.first?.campaigns.map(\.value) == ["launch"])
    }

    @Test func checkRefusesAnUndeclaredCampaignEndsBeforeStartsAndOverlapsOnOneRoute() {
        #expect(campaignErrors(#"route "5552000" campaign lanch -> queue sales"#).contains {
            $0.contains("p.dialplan:8:") && $0.contains("campaign 'lanch' is not declared")
        })
        let backwards = campaignErrors("""
        campaign launch {
          starts "2026-12-02T09:00Z"
          ends "2026-12-01T09:00Z"
        }
        route "5552000" campaign launch -> queue sales
        """)
        #expect(backwards.contains { $0.contains("p.dialplan:10:8: error: campaign 'launch' ends at 2026-12-01T09:00:00.000Z, not after it starts") }, "\(backwards)")
        let overlapping = campaignErrors("""
        campaign spring {
          starts "2026-03-01"
          ends "2026-04-01"
        }
        campaign easter {
          starts "2026-03-30"
          ends "2026-04-10"
        }
        route "5552000" campaign spring, easter -> queue sales
        """)
        #expect(overlapping.contains { $0.contains("campaigns 'spring' and 'easter' both run on route \"5552000\" at 2026-03-30T00:00:00.000Z") }, "\(overlapping)")
        // One after the other on one number is what a reused number is for.
        #expect(campaignErrors("""
        campaign spring {
          starts "2026-03-01"
          ends "2026-04-01"
        }
        campaign autumn {
          starts "2026-04-01"
        }
        route "5552000" campaign spring, autumn -> queue sales
        """).isEmpty)
    }

    @Test func badValuesAreRefusedWhereTheyAre() {
        let errors = plan("""
        campaign launch {
          starts "1 December"
          expected 400
          department marketing
        }
        route "5552000" campaign launch -> queue sales
        """).1.filter { $0.severity == .error }.map(\.description)
        #expect(errors.contains { $0.contains(":9:10: error: bad time \"1 December\" for starts") }, "\(errors)")
        #expect(errors.contains { $0.contains(":10:12: error: bad rate '400'") }, "\(errors)")
        #expect(errors.contains { $0.contains(":11:14: error: department 'marketing' is not defined") }, "\(errors)")
    }

    @Test func aCallTakesTheRunningCampaignElseTheLastEndedElseTheNext() {
        let (plan, _) = plan("""
        campaign spring {
          starts "2026-03-01"
          ends "2026-04-01"
        }
        campaign autumn {
          starts "2026-09-01"
          ends "2026-10-01"
        }
        route "5552000" campaign spring, autumn -> queue sales
        """)
        let route = plan.routes[0]
        #expect(plan.campaign(for: route, at: UTCTimestamp.parse("2026-02-01")!) == "spring")
        #expect(plan.campaign(for: route, at: UTCTimestamp.parse("2026-03-15")!) == "spring")
        #expect(plan.campaign(for: route, at: UTCTimestamp.parse("2026-05-01")!) == "spring")
        #expect(plan.campaign(for: route, at: UTCTimestamp.parse("2026-09-02")!) == "autumn")
        #expect(plan.campaign(for: route, at: UTCTimestamp.parse("2027-01-01")!) == "autumn")
    }

    @Test func theDesksReadTheMessageFromTheNoticeUntilTheEnd() {
        var c = Campaign(name: Located("launch", at: SourceLocation(file: "p", line: 1, column: 1)))
        c.title = "Launch"
        c.starts = Located(Self.dec1, at: c.name.location)
        c.ends = Located(Self.dec1 + Self.day, at: c.name.location)
        c.message = "Pre-orders"
        #expect(c.phase(at: Self.dec1 - Self.day - 1) == .later && c.notice(at: Self.dec1 - Self.day - 1) == nil)
        #expect(c.phase(at: Self.dec1 - Self.day) == .announced)
        #expect(c.notice(at: Self.dec1 - 1) == "Campaign Launch starts 2026-12-01 09:00 UTC: Pre-orders")
        #expect(c.notice(at: Self.dec1) == "Campaign Launch is running until 2026-12-02 09:00 UTC: Pre-orders")
        #expect(c.phase(at: Self.dec1 + Self.day) == .ended && c.notice(at: Self.dec1 + Self.day) == nil)
    }
}

extension CampaignTests {
    @Test func aReloadSaysACampaignsNewTimesAsTimes() {
        let (old, _) = plan("""
        campaign launch {
          starts "2026-12-01T09:00Z"
          expected 100/h
        }
        """)
        let (new, _) = plan("""
        campaign launch {
          starts "2026-12-02T09:00Z"
          expected 100/h
        }
        """)
        let details = PlanDiff.changes(from: old, to: new).flatMap(\.details)
        #expect(details == ["starts 2026-12-01T09:00:00.000Z → 2026-12-02T09:00:00.000Z"], "\(details)")
    }
}
