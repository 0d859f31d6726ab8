import Testing
import ThroughlineCore

@Suite("DTMF keys")
struct DTMFDigitTests {
    @Test(arguments: Array("0123456789*#ABCD"))
    func acceptsTheSixteenKeys(_ key: Character) {
        #expect(DTMFDigit(key)?.character == key)
    }

    @Test func normalisesLowerCaseLetters() {
        #expect(DTMFDigit("b")?.character == "B")
    }

    @Test(arguments: Array("xE!/ \n"))
    func refusesAnythingElse(_ key: Character) {
        #expect(DTMFDigit(key) == nil)
    }

    @Test func mapsRFC4733EventCodes() {
        // RFC 4733 section 3.2: events 0-9 are digits, 10 is *, 11 is #, 12-15 are A-D.
        #expect(DTMFDigit(eventCode: 0)?.character == "0")
        #expect(DTMFDigit(eventCode: 9)?.character == "9")
        #expect(DTMFDigit(eventCode: 10)?.character == "*")
        #expect(DTMFDigit(eventCode: 11)?.character == "#")
        #expect(DTMFDigit(eventCode: 15)?.character == "D")
        #expect(DTMFDigit(eventCode: 16) == nil)
        #expect(DTMFDigit(eventCode: -1) == nil)
    }
}
