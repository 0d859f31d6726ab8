import TestSupport
import Testing
import ThroughlineCore

/// The guessing guard's rules with the test's clock: failures counted per address within the
/// window, the block and its end, other addresses untouched.
@Suite("Source guard: failed authentications block an address")
struct SourceGuardTests {
    static let rules = SourceGuard.Rules(maxFailures: 3, window: .seconds(60), blockFor: .seconds(600))

    @Test func theLimitWithinTheWindowBlocksThatAddressOnlyUntilTheBlockEnds() {
        var g = SourceGuard(rules: Self.rules)
        let t0 = Duration.seconds(1_000)
        var results: [Int?] = []
        results.append(g.failed("127.0.0.3", at: t0))
        results.append(g.failed("127.0.0.3", at: t0 + .seconds(10)))
        #expect(!g.isBlocked("127.0.0.3", at: t0 + .seconds(10)))
        results.append(g.failed("127.0.0.2", at: t0 + .seconds(11)))  // another address: its own count
        results.append(g.failed("127.0.0.3", at: t0 + .seconds(20)))  // the third within 60 s blocks
        #expect(results == [nil, nil, nil, 3])
        #expect(g.isBlocked("127.0.0.3", at: t0 + .seconds(20)))
        #expect(!g.isBlocked("127.0.0.2", at: t0 + .seconds(20)))
        #expect(g.blockedSources(at: t0 + .seconds(30)) == ["127.0.0.3"])
        // While blocked, nothing more is counted (its requests are dropped before the registrar).
        let whileBlocked = g.failed("127.0.0.3", at: t0 + .seconds(30))
        #expect(whileBlocked == nil)
        let early = g.unblockIfDue("127.0.0.3", at: t0 + .seconds(619))
        #expect(!early && g.isBlocked("127.0.0.3", at: t0 + .seconds(619)))
        #expect(!g.isBlocked("127.0.0.3", at: t0 + .seconds(620)))
        let due = g.unblockIfDue("127.0.0.3", at: t0 + .seconds(620))
        #expect(due && g.blockedSources(at: t0 + .seconds(620)).isEmpty)
        // Unblocked, it starts from nothing: one failure does not block again.
        let afterwards = g.failed("127.0.0.3", at: t0 + .seconds(621))
        #expect(afterwards == nil)
    }

    @Test func failuresOlderThanTheWindowDoNotCount() {
        var g = SourceGuard(rules: Self.rules)
        // 0, 50, 61: the first has left the window by 61; 50, 61, 100 are within 60 s.
        let results = [0, 50, 61, 100].map { g.failed("198.51.100.7", at: .seconds($0)) }
        #expect(results == [nil, nil, nil, 3])
    }

    @Test func zeroFailuresAllowedNeverBlocks() {
        var g = SourceGuard(rules: .init(maxFailures: 0, window: .seconds(60), blockFor: .seconds(600)))
        for n in 0..<100 {
            let result = g.failed("192.0.2.1", at: .seconds(Int64(n)))
            #expect(result == nil)
        }
        #expect(!g.isBlocked("192.0.2.1", at: .seconds(100)))
    }

    @Test func thePlanSetsTheRulesAndDefaultsToFiveInAMinuteForAQuarterHour() {
        #expect(SourceGuard.Rules(PlanSettings()) == .init(maxFailures: 5, window: .seconds(60), blockFor: .seconds(900)))
        let plan = TestPlans.loaded("settings {\n  auth-failures 3\n  auth-failure-window 10m\n  auth-block 1h\n}\n" + TestPlans.salesAndBilling).plan
        #expect(SourceGuard.Rules(plan.settings) == .init(maxFailures: 3, window: .seconds(600), blockFor: .seconds(3600)))
    }

    @Test func theSwitchboardLogsEachBlockAndItsEndForFilters() {
        var board = Switchboard(plan: TestPlans.loaded(TestPlans.salesAndBilling), at: .seconds(1))
        let block = SourceBlock(source: "127.0.0.3", failures: 5, duration: .seconds(900), blockedAtUnixMilliseconds: 1_796_040_000_000)
        let blocked = board.handle(.telephony(.sourceBlocked(block)), at: .seconds(2))
        let lines = blocked.compactMap { if case .log(let line) = $0 { line.formatted() } else { nil } }
        #expect(lines.count == 1)
        #expect(lines.first?.contains("level=warning event=security.blocked source=127.0.0.3 failures=5 block_seconds=900 until=2026-11-30T12:15:00.000Z") == true)
        #expect(blocked.contains(.sourceBlock(block, active: true)))
        let unblocked = board.handle(.telephony(.sourceUnblocked(block)), at: .seconds(903))
        #expect(unblocked.compactMap { if case .log(let line) = $0 { line.event } else { nil } } == ["security.unblocked"])
        #expect(unblocked.contains(.sourceBlock(block, active: false)))
    }
}

extension SourceGuardTests {
    @Test func aTrustedAddressIsNeverBlocked() {
        var g = SourceGuard(rules: .init(maxFailures: 2, window: .seconds(60), blockFor: .seconds(600), trusted: ["10.0.0.5"]))
        let results = (0..<5).map { g.failed("10.0.0.5", at: .seconds(Int64($0))) }
        #expect(results.allSatisfy { $0 == nil } && !g.isBlocked("10.0.0.5", at: .seconds(5)))
        let other = [g.failed("10.0.0.6", at: .seconds(6)), g.failed("10.0.0.6", at: .seconds(7))]
        #expect(other == [nil, 2])
    }

    @Test func thePlanNamesTrustedAddressesAndRefusesNamesThatAreNot() {
        let plan = TestPlans.loaded("settings {\n  trusted \"10.0.0.5\", \"fd00::5\"\n}\n" + TestPlans.salesAndBilling).plan
        #expect(SourceGuard.Rules(plan.settings).trusted == ["10.0.0.5", "fd00::5"])
        let (_, diagnostics) = DialplanParser.parse([.init(path: "p.dialplan", text: "settings {\n  trusted \"proxy.example.com\"\n}\n")])
        #expect(diagnostics.map(\.description).contains { $0.contains("p.dialplan:2:11: error: 'proxy.example.com' is not an IP address") },
                "\(diagnostics.map(\.description))")
        for address in ["127.0.0.1", "10.0.0.255", "::1", "fd00::5", "2001:db8:0:0:0:0:0:1"] { #expect(HostPort.isIPAddress(address), "\(address)") }
        for text in ["", "10.0.0", "10.0.0.256", "1.2.3.4.5", "a.b.c.d", "proxy", "1::2::3", ":", "[::1]", "10.0.0.5:5060"] {
            #expect(!HostPort.isIPAddress(text), "\(text)")
        }
    }
}
