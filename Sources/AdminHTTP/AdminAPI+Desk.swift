import Controller
import Foundation
import ThroughlineCore

/// The desk's resources: its page, broadcasts, and moving a caller to a department. HTTP
/// threads; a transfer is posted to the controller loop and waited for (at most 5 s).
extension AdminAPI {
    func directory() -> [DirectoryDepartmentBody] { board.directory }

    /// `GET /desk/NAME`: the page (no data in it). Opened with its link, `?token=TOKEN` (NAME's
    /// token or the admin's), it answers 303 to the bare `/desk/NAME` with the token in an
    /// HttpOnly, SameSite=Strict cookie, so the token leaves the address bar, the history and
    /// any screenshot; the page and its requests then carry the cookie. Without a valid
    /// cookie or token: 401.
    func deskPage(_ request: HTTPRequest) -> HTTPResponse {
        let name = String(request.path.dropFirst("/desk/".count))
        guard request.method == "GET" || request.method == "HEAD" else {
            return .error(405, "\(request.method) is not allowed on \(request.path)", headers: [("Allow", "GET")])
        }
        guard board.agent(name) != nil else { return .error(404, "the plan in force has no agent '\(name)'") }
        if let presented = Self.queryToken(request) {
            guard accepts(presented, as: name) else {
                return .error(401, "the token is not valid for \(name)'s desk")
            }
            guard presented.unicodeScalars.allSatisfy(Self.isCookieSafe) else {
                return .error(400, "this token has characters a cookie cannot carry; use a token of letters, digits and -._~")
            }
            return HTTPResponse(status: 303, headers: [
                ("Location", "/desk/\(name)"), ("Cache-Control", "no-store"),
                ("Set-Cookie", "\(Self.deskCookie(name))=\(presented); Path=/; HttpOnly; SameSite=Strict"),
            ])
        }
        guard accepts(request.cookie(Self.deskCookie(name)), as: name) else {
            return .error(401, "open the desk once with its link (/desk/\(name)?token=TOKEN); the browser then keeps it in a cookie")
        }
        return .html(DeskPage.html(agent: name))
    }

    /// The cookie a browser keeps `agent`'s desk token in (one per agent: a supervisor may
    /// open several desks).
    static func deskCookie(_ agent: String) -> String { "throughline-desk-\(agent)" }

    /// RFC 6265's cookie-octets, less the ones that need care: letters, digits, `-._~`.
    static func isCookieSafe(_ s: Unicode.Scalar) -> Bool {
        (s >= "a" && s <= "z") || (s >= "A" && s <= "Z") || (s >= "0" && s <= "9") || "-._~".unicodeScalars.contains(s)
    }

    /// The agent of the first desk cookie that holds that agent's token (any agent's
    /// desk may read and note references).
    func deskCookieAgent(_ request: HTTPRequest) -> String? {
        let prefix = Self.deskCookie("")
        return request.cookies.first { $0.name.hasPrefix(prefix) && agentTokens.accepts($0.value, for: String($0.name.dropFirst(prefix.count))) }
            .map { String($0.name.dropFirst(prefix.count)) }
    }

    /// `POST /api/broadcast`: a marquee message to every desk or one department's.
    func broadcast(_ request: HTTPRequest) -> HTTPResponse {
        guard case .success(let body) = WireJSON.decode(BroadcastRequest.self, from: request.body),
              case let text = body.text.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else {
            return .error(400, "the body must be a JSON object with a non-empty \"text\" (and optionally \"department\")")
        }
        guard text.count <= 500 else { return .error(400, "a broadcast is at most 500 characters") }
        let department = body.department
        if let department, !board.directory.contains(where: { $0.department == department }) {
            return .error(404, "the plan in force has no department '\(department)'")
        }
        guard let pops else { return .error(503, "screen pops are not running") }
        let reached = pops.broadcast(text, department: department, from: "admin")
        return Self.json(200, BroadcastSentBody(text: text, department: department, desks: reached))
    }

    /// `POST /api/calls/CALL/transfer`: the connected agent (or an admin) sends the caller
    /// to a department.
    func callResource(_ request: HTTPRequest) -> HTTPResponse {
        let parts = request.path.dropFirst("/api/calls/".count).split(separator: "/").map(String.init)
        guard parts.count == 2, parts[1] == "transfer" else { return .error(404, "no such resource: \(request.path)") }
        if let refused = Self.refuseMethod(request, allowed: ["POST"]) { return refused }
        let call = parts[0]
        // The admin, or the agent this call is connected to.
        let agentOnCall = board.agentList.first { $0.call == call && $0.state == "talking" }?.agent
        if let refused = authorize(request, agent: agentOnCall ?? "-") { return refused }
        guard case .success(let body) = WireJSON.decode(TransferRequest.self, from: request.body), !body.department.isEmpty else {
            return .error(400, "the body must be a JSON object such as {\"department\": \"billing\"}")
        }
        let department = body.department
        let reply = Reply<String?>()
        inputs.post(.transferToDepartment(call: call, department: department, reply: reply.answer))
        guard let refusal = reply.wait(seconds: 5) else { return .error(503, "the controller did not take the transfer within 5 s") }
        if let why = refusal { return .error(409, why) }
        return Self.json(200, TransferDone(call: call, department: department, transferred: true))
    }

    /// The answer to `POST /api/calls/CALL/transfer`.
    struct TransferDone: Encodable {
        let call: String
        let department: String
        let transferred: Bool
    }
}
