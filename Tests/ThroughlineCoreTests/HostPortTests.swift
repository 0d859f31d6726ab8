import Testing
import ThroughlineCore

@Suite("HOST:PORT arguments")
struct HostPortTests {
    @Test func parsesIPv4AndPort() throws {
        #expect(try HostPort(parsing: "127.0.0.1:5060") == HostPort(host: "127.0.0.1", port: 5060))
    }

    @Test func parsesBracketedIPv6() throws {
        let parsed = try HostPort(parsing: "[::1]:5062")
        #expect(parsed == HostPort(host: "::1", port: 5062))
        #expect(parsed.description == "[::1]:5062")
    }

    @Test func portZeroAsksForAFreePort() throws {
        #expect(try HostPort(parsing: "127.0.0.1:0").port == 0)
    }

    @Test(arguments: [
        ("127.0.0.1", HostPort.ParseError.missingPort("127.0.0.1")),
        ("127.0.0.1:", .badPort("127.0.0.1:")),
        ("127.0.0.1:70000", .badPort("127.0.0.1:70000")),
        ("127.0.0.1:-1", .badPort("127.0.0.1:-1")),
        (":5060", .badHost(":5060")),
        ("::1:5060", .badHost("::1:5060")),
        ("[::1:5060", .badHost("[::1:5060")),
        ("bad host:5060", .badHost("bad host:5060")),
    ])
    func refusesMalformedAddresses(_ text: String, _ expected: HostPort.ParseError) {
        #expect(throws: expected) { try HostPort(parsing: text) }
    }
}
