import Testing
import ThroughlineCore

@Suite("Keys in SIP INFO bodies")
struct SIPInfoDTMFTests {
    @Test(arguments: [
        ("application/dtmf-relay", "Signal=5\r\nDuration=160\r\n", "5"),
        ("Application/DTMF-Relay", "signal= #\nDuration=100", "#"),
        ("application/dtmf-relay", "Signal=11\r\n", "#"),
        ("application/dtmf", "5\r\n", "5"),
        ("application/dtmf; charset=utf-8", "*", "*"),
        ("application/dtmf", "10", "*"),
    ])
    func decodesTheKey(_ type: String, _ body: String, _ key: Character) {
        #expect(SIPInfoDTMF.digit(contentType: type, body: body)?.character == key)
    }

    @Test(arguments: [
        ("application/dtmf", ""), ("application/dtmf", "x"), ("application/dtmf", "55"), ("application/dtmf-relay", "Duration=160"),
        ("text/plain", "5"), ("application/dtmf-relay", "Signal=99"),
    ])
    func refusesWhatIsNotAKey(_ type: String, _ body: String) {
        #expect(SIPInfoDTMF.digit(contentType: type, body: body) == nil)
    }
}
