import TestSupport
import Testing
import ThroughlineCore

/// The flood limit's rules, sample by sample: one address over the limit is shed for the rest of
/// the sample and for as long as it keeps it up; other addresses, trusted ones and a limit of 0
/// are untouched; the plan's settings and the switchboard's log lines.
@Suite("Flood meter: an address that sends too much is shed, like pike")
struct FloodMeterTests {
    static let rules = FloodMeter.Rules(limit: 5, window: .seconds(2))

    @Test func overTheLimitTheRestOfTheSampleIsDroppedAndOthersAreServed() {
        var meter = FloodMeter(rules: Self.rules)
        var verdicts: [FloodMeter.Verdict] = []
        for n in 0..<8 {
            verdicts.append(meter.request(from: "127.0.0.3"))
            if n == 6 { verdicts.append(meter.request(from: "127.0.0.1")) }  // a caller from elsewhere meanwhile
        }
        #expect(verdicts == [.pass, .pass, .pass, .pass, .pass, .startShedding, .drop, .pass, .drop])
        #expect(meter.shedSources == ["127.0.0.3"])
        #expect(meter.count(from: "127.0.0.3") == 8)
    }

    @Test func aFloodThatKeepsGoingStaysShedAndTheFirstQuietSampleEndsIt() {
        var meter = FloodMeter(rules: Self.rules)
        for _ in 0..<10 { _ = meter.request(from: "198.51.100.9") }
        #expect(meter.sample().isEmpty)  // 10 in the sample: still shed
        // The next sample: dropped from its first request, and still counted (9 > 5).
        let second = (0..<9).map { _ in meter.request(from: "198.51.100.9") }
        #expect(second.allSatisfy { $0 == .drop })
        #expect(meter.sample().isEmpty)
        // A sample with 5 (the limit, not beyond): dropped while it lasts, then it ends.
        let third = (0..<5).map { _ in meter.request(from: "198.51.100.9") }
        #expect(third.allSatisfy { $0 == .drop })
        let ended = meter.sample()
        #expect(ended == [FloodMeter.Ended(source: "198.51.100.9", samples: 3, dropped: 5 + 9 + 5)])
        #expect(meter.shedSources.isEmpty)
        #expect(meter.request(from: "198.51.100.9") == .pass)
    }

    @Test func theLimitCountsPerSampleNotForever() {
        var meter = FloodMeter(rules: Self.rules)
        for _ in 0..<20 {
            let verdicts = (0..<5).map { _ in meter.request(from: "192.0.2.1") }
            #expect(verdicts.allSatisfy { $0 == .pass })
            #expect(meter.sample().isEmpty)
        }
    }

    @Test func trustedAddressesAndALimitOfZeroAreNeverShed() {
        var meter = FloodMeter(rules: .init(limit: 5, window: .seconds(2), trusted: ["10.0.0.5"]))
        #expect((0..<100).allSatisfy { _ in meter.request(from: "10.0.0.5") == .pass })
        var off = FloodMeter(rules: .init(limit: 0, window: .seconds(2)))
        #expect((0..<100).allSatisfy { _ in off.request(from: "192.0.2.1") == .pass })
        // A reload that trusts a shed address ends its shedding at the next sample.
        var reloaded = FloodMeter(rules: Self.rules)
        for _ in 0..<10 { _ = reloaded.request(from: "10.0.0.6") }
        reloaded.rules.trusted = ["10.0.0.6"]
        #expect(reloaded.request(from: "10.0.0.6") == .pass)
        #expect(reloaded.sample().map(\.source) == ["10.0.0.6"])
    }

    @Test func aFloodFromManyAddressesCannotGrowTheTableWithoutBound() {
        var meter = FloodMeter(rules: Self.rules)
        for n in 0..<(FloodMeter.maxSources + 10) { _ = meter.request(from: "s\(n)") }
        #expect(meter.count(from: "s\(FloodMeter.maxSources + 5)") == 0)  // past the cap: not counted
        #expect(meter.count(from: "s0") == 1)
        _ = meter.sample()
        #expect(meter.count(from: "s0") == 0)
    }

    @Test func thePlanSetsTheLimitDefaultingToAHundredInTwoSeconds() {
        #expect(FloodMeter.Rules(PlanSettings()) == .init(limit: 100, window: .seconds(2)))
        let plan = TestPlans.loaded("settings {\n  flood-limit 400\n  flood-window 5s\n  trusted \"10.0.0.5\"\n  user-agent \"Acme PBX\"\n}\n"
                                    + TestPlans.salesAndBilling).plan
        #expect(SIPPolicy(plan).flood == .init(limit: 400, window: .seconds(5), trusted: ["10.0.0.5"]))
        #expect(SIPPolicy(plan).userAgent == "Acme PBX")
        #expect(SIPPolicy(Dialplan()).userAgent == "Throughline")
        let (_, diagnostics) = DialplanParser.parse([.init(path: "p.dialplan", text: "settings {\n  flood-window 0s\n  user-agent \"a\\u{7}\"\n}\n")])
        let text = diagnostics.map(\.description)
        #expect(text.contains { $0.hasPrefix("p.dialplan:2:16: error:") }, "\(text)")
    }

    @Test func sendSilenceIsYesUnlessThePlanSaysNo() {
        #expect(SIPPolicy(Dialplan()).sendSilence)
        let plan = TestPlans.loaded("settings {\n  send-silence no\n}\n" + TestPlans.salesAndBilling).plan
        #expect(!SIPPolicy(plan).sendSilence)
        let (_, diagnostics) = DialplanParser.parse([.init(path: "p.dialplan", text: "settings {\n  send-silence sometimes\n}\n")])
        #expect(diagnostics.map(\.description).contains("p.dialplan:2:16: error: expected yes or no for send-silence, found 'sometimes'"),
                "\(diagnostics.map(\.description))")
    }

    @Test func theSwitchboardLogsEachFloodAndItsEndForFilters() {
        var board = Switchboard(plan: TestPlans.loaded(TestPlans.salesAndBilling), at: .seconds(1))
        let shed = FloodShedding(source: "127.0.0.3", limit: 100, window: .seconds(2), startedAtUnixMilliseconds: 1_796_040_000_000)
        let started = board.handle(.telephony(.floodShedding(shed)), at: .seconds(2))
        let lines = started.compactMap { if case .log(let line) = $0 { line.formatted() } else { nil } }
        #expect(lines.count == 1)
        #expect(lines.first?.contains(#"level=warning event=security.flood source=127.0.0.3 limit=100 window_seconds=2 why="request flood""#) == true,
                "\(lines)")
        #expect(started.contains(.floodShedding(shed, active: true)))
        let ended = board.handle(.telephony(.floodEnded(shed, dropped: 9_000, endedAtUnixMilliseconds: 1_796_040_008_250)), at: .seconds(10))
        let endLines = ended.compactMap { if case .log(let line) = $0 { line.formatted() } else { nil } }
        #expect(endLines.first?.contains("event=security.flood-ended source=127.0.0.3 dropped=9000 duration_ms=8250 started_at=2026-11-30T12:00:00.000Z") == true,
                "\(endLines)")
        #expect(ended.contains(.floodShedding(shed, active: false)))
    }
}

/// SRTP in the plan: the setting for callers, an agent's own line for the legs that ring them,
/// the policy the SIP adapter is given.
@Suite("SRTP modes in the plan")
struct SRTPModeTests {
    @Test func anAgentsLegTakesItsOwnSRTPLineElseThePlans() {
        let plan = "settings {\n  srtp optional\n}\n" + TestPlans.salesAndBilling.replacingOccurrences(
            of: "contact \"sip:ann@127.0.0.1:6001\"", with: "contact \"sip:ann@127.0.0.1:6001\"\n  srtp mandatory")
        let loaded = TestPlans.loaded(plan)
        #expect(loaded.plan.settings.srtp == .optional)
        #expect(loaded.plan.agents.map { "\($0.name.value)=\($0.srtp?.rawValue ?? "-")" } == ["ann=mandatory", "bea=-"])
        #expect(SIPPolicy(loaded.plan).srtp == .optional)
        #expect(SIPPolicy(TestPlans.loaded(TestPlans.salesAndBilling).plan).srtp == .off)

        // Key 1 to sales rings ann with her own mode; a plan-wide mode for an agent without one.
        func dialledMode(_ text: String) -> SRTPMode? {
            var board = Switchboard(plan: TestPlans.loaded(text), at: .seconds(1))
            _ = board.handle(.started, at: .seconds(1))
            _ = board.handle(.telephony(.callArrived(IncomingCall(handle: CallHandle(1), sipCallID: "c1", caller: "5551234", dialled: "5551000",
                                                                  remoteURI: "<sip:5551234@127.0.0.1>"))), at: .seconds(1))
            _ = board.handle(.telephony(.mediaActive(CallHandle(1))), at: .seconds(1))
            let effects = board.handle(.telephony(.digitReceived(CallHandle(1), DTMFDigit("1")!, .rfc4733)), at: .seconds(2))
            for case .dial(let dial) in effects { if case .dial(_, _, _, _, let srtp) = dial.command { return srtp } }
            return nil
        }
        #expect(dialledMode(plan) == .mandatory)
        #expect(dialledMode("settings {\n  srtp optional\n}\n" + TestPlans.salesAndBilling) == .optional)
        #expect(dialledMode(TestPlans.salesAndBilling) == .off)
    }

    @Test func anUnknownModeIsRefusedAtItsColumn() {
        let (_, diagnostics) = DialplanParser.parse([.init(path: "p.dialplan", text: "settings {\n  srtp required\n}\n")])
        let text = diagnostics.map(\.description)
        #expect(text.contains { $0.hasPrefix("p.dialplan:2:8: error: unknown srtp mode 'required'") && $0.contains("(off, optional, mandatory)") },
                "\(text)")
    }
}
