import Controller
import Foundation
import ThroughlineCore

/// The wallboard's resources, for the admin token or the read-only supervisor token (which
/// opens these and nothing else). HTTP threads; the hub builds the board on its own queue.
///
///   GET  /wallboard               the page: `?token=` is exchanged for an HttpOnly cookie
///                                 and a redirect, as the desk does
///   GET  /wallboard/events        the board as Server-Sent Events (`board`), on every change
///   GET  /api/wallboard           the board now, JSON (`WallboardBody`)
///   GET  /api/wallboard/token     admin only: the supervisor token (created on first ask)
///   POST /api/wallboard/token     admin only: a new supervisor token; the old one stops working
extension AdminAPI {
    static let wallboardCookie = "throughline-wallboard"
    /// The supervisor token's name in its token folder.
    static let supervisorName = "wallboard"

    func wallboardResource(_ request: HTTPRequest) -> HTTPResponse {
        guard let wallboard, let supervisorTokens else { return .error(503, "the wallboard is not running") }
        switch request.path {
        case "/api/wallboard/token":
            if let refused = Self.refuseMethod(request, allowed: ["GET", "POST"]) { return refused }
            if let refused = authorize(request, agent: nil) { return refused }
            do {
                let token = request.method == "POST" ? try supervisorTokens.renew(for: Self.supervisorName)
                    : try supervisorTokens.token(for: Self.supervisorName)
                logger?.log(.info, "wallboard.token", [("action", request.method == "POST" ? "renewed" : "read")])
                return Self.json(request.method == "POST" ? 201 : 200, WallboardTokenBody(token: token, link: "/wallboard?token=\(token)"))
            } catch {
                return .error(500, "the supervisor token could not be made: \(error)")
            }
        case "/wallboard", "/wallboard/events", "/api/wallboard":
            if let refused = Self.refuseMethod(request, allowed: ["GET"]) { return refused }
        default:
            return .error(404, "no such resource: \(request.path)")
        }
        if request.path == "/wallboard", let presented = Self.queryToken(request) {
            guard acceptsSupervisor(presented) else { return .error(401, "the token is not valid for the wallboard") }
            guard presented.unicodeScalars.allSatisfy(Self.isCookieSafe) else {
                return .error(400, "this token has characters a cookie cannot carry; use a token of letters, digits and -._~")
            }
            return HTTPResponse(status: 303, headers: [
                ("Location", "/wallboard"), ("Cache-Control", "no-store"),
                ("Set-Cookie", "\(Self.wallboardCookie)=\(presented); Path=/; HttpOnly; SameSite=Strict"),
            ])
        }
        let presented = request.bearerToken ?? Self.queryToken(request) ?? request.cookie(Self.wallboardCookie)
        guard acceptsSupervisor(presented) else {
            if request.path == "/wallboard" {
                return .error(401, "open the wallboard once with its link (/wallboard?token=TOKEN, from GET /api/wallboard/token); the browser then keeps it in a cookie")
            }
            return .error(401, "this endpoint needs the admin token or the supervisor token", headers: [("WWW-Authenticate", "Bearer")])
        }
        switch request.path {
        case "/wallboard": return .html(WallboardPage.html)
        case "/wallboard/events": return .events(wallboard.subscribe())
        default: return Self.json(200, wallboard.current())
        }
    }

    /// The admin token or the supervisor token (which must exist already).
    func acceptsSupervisor(_ presented: String?) -> Bool {
        token.accepts(presented) || supervisorTokens?.accepts(presented, for: Self.supervisorName) == true
    }
}
