import Controller
import Foundation
import ThroughlineCore

/// The desk's resources: its page, broadcasts, and moving a caller to a department. HTTP
/// threads; a transfer is posted to the controller loop and waited for (at most 5 s).
extension AdminAPI {
    func directory() -> [DirectoryDepartmentBody] { board.directory }

    /// `GET /desk/NAME`: the page (no data in it; it reads with the token in its address).
    func deskPage(_ request: HTTPRequest) -> HTTPResponse {
        let name = String(request.path.dropFirst("/desk/".count))
        guard request.method == "GET" || request.method == "HEAD" else {
            return .error(405, "\(request.method) is not allowed on \(request.path)", headers: [("Allow", "GET")])
        }
        guard board.agent(name) != nil else { return .error(404, "the plan in force has no agent '\(name)'") }
        return .html(DeskPage.html(agent: name))
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
