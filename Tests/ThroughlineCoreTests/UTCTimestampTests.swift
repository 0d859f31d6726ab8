import Testing
import ThroughlineCore

@Suite("UTC timestamps")
struct UTCTimestampTests {
    @Test func knownInstantsAcrossLeapYearsAndCenturies() {
        #expect(UTCTimestamp.string(unixMilliseconds: 0) == "1970-01-01T00:00:00.000Z")
        #expect(UTCTimestamp.string(unixMilliseconds: 951_782_400_000) == "2000-02-29T00:00:00.000Z")
        #expect(UTCTimestamp.string(unixMilliseconds: 1_795_384_171_259) == "2026-11-22T21:49:31.259Z")
        #expect(UTCTimestamp.string(unixMilliseconds: 4_102_444_799_999) == "2099-12-31T23:59:59.999Z")
        #expect(UTCTimestamp.string(unixMilliseconds: -1) == "1969-12-31T23:59:59.999Z")
    }
}
