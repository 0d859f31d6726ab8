import Testing
import ThroughlineCore

@Suite("SIP URI user parts")
struct SIPURITests {
    @Test(arguments: [
        ("sip:5551000@127.0.0.1:5060", "5551000"),
        ("\"Caller\" <sip:5551234@127.0.0.1>", "5551234"),
        ("<sip:alice:secret@example.com;transport=udp>", "alice"),
        ("<sip:5551000;phone-context=x@host>", "5551000"),
        ("SIPS:bob@example.com", "bob"),
        ("<tel:+15551234;ext=9>", "+15551234"),
        ("<sip:example.com>", ""),
        ("garbage", ""),
        ("", ""),
    ])
    func extractsTheUserPart(_ text: String, _ user: String) {
        #expect(SIPURI.userPart(of: text) == user)
    }
}
