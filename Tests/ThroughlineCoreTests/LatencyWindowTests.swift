import Testing
import ThroughlineCore

@Suite struct LatencyWindowTests {
    @Test func emptyHasNoSummary() {
        #expect(LatencyWindow().summary == nil)
    }

    @Test func nearestRankPercentilesOfOneToAHundred() {
        var window = LatencyWindow(capacity: 100)
        for n in (1...100).reversed() { window.record(UInt64(n)) }
        #expect(window.summary == .init(count: 100, p50: 50, p99: 99, max: 100))
    }

    @Test func keepsOnlyTheLastCapacitySamplesButCountsAll() {
        var window = LatencyWindow(capacity: 4)
        for n: UInt64 in [900, 800, 1, 2, 3, 4] { window.record(n) }
        // 900 and 800 have left the ring.
        #expect(window.summary == .init(count: 6, p50: 2, p99: 4, max: 4))
        window.record(7)
        #expect(window.summary == .init(count: 7, p50: 3, p99: 7, max: 7))
    }
}
