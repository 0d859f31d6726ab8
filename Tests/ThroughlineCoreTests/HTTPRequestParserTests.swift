import TestSupport
import Testing
import ThroughlineCore

@Suite("HTTP request parser")
struct HTTPRequestParserTests {
    func parse(_ text: String, limits: HTTPRequestParser.Limits = .init()) throws(HTTPRequestParser.Refusal) -> HTTPRequestParser.Progress {
        var parser = HTTPRequestParser(limits: limits)
        return try parser.feed(Array(text.utf8))
    }

    func refusal(_ text: String, limits: HTTPRequestParser.Limits = .init()) -> Int? {
        do { _ = try parse(text, limits: limits); return nil } catch { return error.status }
    }

    @Test func readsARequestWithHeadersAndBody() throws {
        let progress = try parse("POST /api/reload?x=1 HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer  tok123 \r\nContent-Length: 2\r\n\r\nhi")
        guard case .complete(let request) = progress else { Issue.record("incomplete"); return }
        #expect(request.method == "POST")
        #expect(request.path == "/api/reload")
        #expect(request.query == "x=1")
        #expect(request.bearerToken == "tok123")
        #expect(request.body == Array("hi".utf8))
    }

    @Test func waitsForTheRestOfAHeaderOrBody() throws {
        var parser = HTTPRequestParser()
        #expect(try parser.feed(Array("GET / HTTP/1.1\r\nHo".utf8)) == .needMore)
        #expect(try parser.feed(Array("st: a\r\nContent-Length: 3\r\n\r\nab".utf8)) == .needMore)
        guard case .complete(let r) = try parser.feed(Array("c".utf8)) else { Issue.record("incomplete"); return }
        #expect(r.body == Array("abc".utf8))
    }

    @Test(arguments: [
        ("GET /\r\n\r\n", 400),
        ("GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505),
        ("GET / FTP/1.1\r\n\r\n", 400),
        ("get / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        ("GET relative HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost a\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHo st: a\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n", 501),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999\r\n\r\n", 413),
        ("GET /\u{0} HTTP/1.1\r\nHost: a\r\n\r\n", 400),
    ])
    func refusesMalformedRequestsWithTheRightStatus(_ text: String, _ status: Int) {
        #expect(refusal(text) == status)
    }

    @Test func refusesOversizedHeadersAndTargets() {
        var limits = HTTPRequestParser.Limits()
        limits.maxHeaderBytes = 100
        limits.maxTargetBytes = 10
        #expect(refusal("GET / HTTP/1.1\r\nHost: a\r\nX: " + String(repeating: "y", count: 200), limits: limits) == 431)
        #expect(refusal("GET /0123456789abc HTTP/1.1\r\nHost: a\r\n\r\n", limits: limits) == 414)
    }

    @Test func responsesSayTheirLengthAndClose() {
        let bytes = HTTPResponse.error(404, "no such \"thing\"").serialized()
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 30\r\nConnection: close\r\n\r\n"))
        #expect(text.hasSuffix("{\"error\":\"no such \\\"thing\\\"\"}\n"))
    }

    @Test(.timeLimit(.minutes(1)))
    func thousandsOfRandomMalformedRequestsEachGetAnAnswerOrWaitNeverACrash() {
        var rng = SeededGenerator(seed: 42)
        let pieces = ["GET", "POST", " ", "/", "/api/health", "HTTP/1.1", "HTTP/9", "\r\n", "\n", "\r", ":", "Host: a", "Content-Length: ",
                      "5", "-", "Transfer-Encoding: chunked", "\u{0}", "é", "\r\n\r\n", "x", "Authorization: Bearer t"]
        var answered = 0
        for _ in 0..<5000 {
            var parser = HTTPRequestParser()
            var text = ""
            for _ in 0..<Int.random(in: 1...20, using: &rng) { text += pieces.randomElement(using: &rng)! }
            do {
                switch try parser.feed(Array(text.utf8)) {
                case .needMore: break  // the server's deadline answers these with 408
                case .complete(let r): #expect(r.path.hasPrefix("/")); answered += 1
                }
            } catch {
                #expect((400...505).contains(error.status))
                #expect(!error.reason.isEmpty)
                answered += 1
            }
        }
        #expect(answered > 1000)
    }
}
