import Testing
import ThroughlineCore

/// Cookies as browsers send them (RFC 6265 §5.4).
@Suite("HTTP request cookies")
struct HTTPRequestCookieTests {
    @Test func cookiesAreReadByNameWhateverTheSpacing() {
        let request = HTTPRequest(method: "GET", path: "/desk/ann",
                                  headers: [("cookie", "theme=dark;throughline-desk-ann=abc123 ;  empty= ; =nameless; throughline-desk-bo=x=y")])
        #expect(request.cookie("throughline-desk-ann") == "abc123")
        #expect(request.cookie("throughline-desk-bo") == "x=y")
        #expect(request.cookie("theme") == "dark")
        #expect(request.cookie("missing") == nil)
        #expect(request.cookies.map(\.name) == ["theme", "throughline-desk-ann", "empty", "throughline-desk-bo"])
        #expect(HTTPRequest(method: "GET", path: "/").cookies.isEmpty)
    }
}
