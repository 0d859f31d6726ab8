import Controller
import ThroughlineCore

/// `GET /api/callbacks` (the admin: every pending call back; `?department=D`: that
/// department's, for the admin or, with `&agent=NAME`, an agent of D with their own token, as
/// their desk asks) and `DELETE /api/callbacks/ID` (the admin: cancel one not being placed).
/// On HTTP threads; a cancel goes through the controller's input queue.
extension AdminAPI {
    func callbackResource(_ request: HTTPRequest) -> HTTPResponse {
        if request.path == "/api/callbacks" {
            if let refused = Self.refuseMethod(request, allowed: ["GET"]) { return refused }
            var department: String?, agent: String?
            switch Self.queryParameters(request) {
            case .failure(let refusal): return refusal.response
            case .success(let parameters):
                for (name, value) in parameters {
                    switch name {
                    case "department": department = value
                    case "agent": agent = value
                    case "token": break
                    default: return .error(400, "unknown query parameter '\(name)' (department, agent)")
                    }
                }
            }
            if agent != nil && department == nil { return .error(400, "agent= goes with department= (an agent sees their department's call backs)") }
            if let refused = authorize(request, agent: agent) { return refused }
            if let department {
                guard let rules = board.handoffDepartments.first(where: { $0.name == department }) else {
                    return .error(404, "the plan in force has no department '\(department)'")
                }
                if let agent, !rules.agents.contains(agent), !token.accepts(request.bearerToken ?? Self.queryToken(request)) {
                    return .error(403, "agent '\(agent)' is not in department '\(department)'")
                }
            }
            let list = board.callbackList.filter { department == nil || $0.department == department }
            return Self.json(200, CallbackListBody(callbacks: list.map(CallbackBody.init)))
        }
        let text = String(request.path.dropFirst("/api/callbacks/".count))
        guard let id = Int64(text), id > 0 else { return .error(404, "no such resource: \(request.path) (a call back's id is a number)") }
        if let refused = Self.refuseMethod(request, allowed: ["DELETE"]) { return refused }
        if let refused = authorize(request, agent: nil) { return refused }
        let reply = Reply<String?>()
        inputs.post(.cancelCallback(id: id, reply: reply.answer))
        guard let refusal = reply.wait(seconds: 5) else { return .error(503, "the controller did not take the cancel within 5 s") }
        if let why = refusal { return .error(why.hasPrefix("no pending") ? 404 : 409, why) }
        return Self.json(200, CallbackCancelledBody(id: id, cancelled: true))
    }
}
