import Controller
import Foundation
import ThroughlineCore

/// The agent and queue resources of the API, and the token check shared by every resource.
/// Runs on HTTP connection threads; a status change is posted to the controller loop and
/// waited for (at most 5 s).
extension AdminAPI {
    /// `/api/agents/NAME`, `/api/agents/NAME/status`, `/api/agents/NAME/token`.
    func agentResource(_ request: HTTPRequest) -> HTTPResponse {
        let parts = request.path.dropFirst("/api/agents/".count).split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard (1...2).contains(parts.count), let name = parts.first, !name.isEmpty else {
            return .error(404, "no such resource: \(request.path)")
        }
        let sub = parts.count == 2 ? parts[1] : ""
        let allowed: [String] = switch sub {
        case "": ["GET"]
        case "status": ["POST"]
        case "token", "events": ["GET"]
        default: []
        }
        guard !allowed.isEmpty else { return .error(404, "no such resource: \(request.path) (agents have status, token and events)") }
        if let refused = Self.refuseMethod(request, allowed: allowed) { return refused }
        if let refused = authorize(request, agent: sub == "token" ? nil : name) { return refused }
        guard let agent = board.agent(name) else { return .error(404, "the plan in force has no agent '\(name)'") }
        switch sub {
        case "events":
            guard let pops else { return .error(503, "screen pops are not running") }
            let plan = board.planInForce
            let departments = Set(plan?.agent(name)?.departments.map(\.value) ?? [])
            let notices = CampaignWatch.notices(in: plan, for: departments, at: Date().unixMilliseconds)
            return .events(pops.subscribe(agent: name, hello: DeskHelloBody(agent: agent, directory: directory(), notices: notices)))
        case "token":
            do {
                return Self.json(200, AgentTokenBody(agent: name, token: try agentTokens.token(for: name)))
            } catch {
                return .error(500, "cannot create the agent's token: \(error)")
            }
        case "status":
            return setStatus(name, request)
        default:
            return Self.json(200, agent)
        }
    }

    private func setStatus(_ name: String, _ request: HTTPRequest) -> HTTPResponse {
        let body: AgentStatusRequest
        switch WireJSON.decode(AgentStatusRequest.self, from: request.body) {
        case .success(let decoded): body = decoded
        case .failure(.missing("status")):
            return .error(400, "missing \"status\" (available, paused, logged-out)")
        case .failure(.wrongType("reason")):
            return .error(400, "\"reason\" must be a string")
        case .failure(.wrongType("status")):
            return .error(400, "\"status\" must be a string (available, paused, logged-out)")
        case .failure:
            return .error(400, "the body must be a JSON object such as {\"status\": \"paused\", \"reason\": \"lunch\"}")
        }
        let word = body.status
        guard let status = AgentStatus(word: word, reason: body.reason) else {
            return .error(400, "unknown status '\(word)' (available, paused, logged-out)")
        }
        let reply = Reply<Bool>()
        inputs.post(.agentStatus(agent: name, status: status, reply: reply.answer))
        guard let known = reply.wait(seconds: 5) else { return .error(503, "the controller did not take the change within 5 s") }
        guard known else { return .error(404, "the plan in force has no agent '\(name)'") }
        guard let agent = board.agent(name) else { return .error(404, "the plan in force has no agent '\(name)'") }
        return Self.json(200, agent)
    }

    /// nil when the request may go on: the admin token, or (for `agent`'s own resources) the
    /// agent's token. Otherwise 401 with the reason.
    func authorize(_ request: HTTPRequest, agent: String?) -> HTTPResponse? {
        // A browser's desk sends its token in the cookie `GET /desk/NAME?token=` set (SameSite=
        // Strict: no other site's page can make the browser send it); a script may also pass
        // it as ?token= where it cannot set headers (EventSource).
        let presented = request.bearerToken ?? Self.queryToken(request) ?? agent.flatMap { request.cookie(Self.deskCookie($0)) }
        guard request.header("authorization") != nil || presented != nil else {
            let who = agent.map { "the admin token or \($0)'s token" } ?? "the admin token"
            return .error(401, "this endpoint needs \(who): Authorization: Bearer TOKEN", headers: [("WWW-Authenticate", "Bearer")])
        }
        if accepts(presented, as: agent) { return nil }
        return .error(401, agent == nil ? "the admin token is not valid" : "the token is not valid for this agent",
                      headers: [("WWW-Authenticate", "Bearer error=\"invalid_token\"")])
    }

    /// Whether `presented` is the admin token or, when `agent` is given, that agent's own.
    func accepts(_ presented: String?, as agent: String?) -> Bool {
        token.accepts(presented) || agent.map { agentTokens.accepts(presented, for: $0) } ?? false
    }

    /// The query's `name=value` pairs in order, values percent-decoded, or a 400 naming the
    /// first pair without `=`. What every resource with query parameters reads.
    static func queryParameters(_ request: HTTPRequest) -> Result<[(name: String, value: String)], QueryRefusal> {
        var pairs: [(name: String, value: String)] = []
        for pair in (request.query ?? "").split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2 else { return .failure(QueryRefusal(response: .error(400, "malformed query parameter '\(pair)'"))) }
            pairs.append((kv[0], kv[1].removingPercentEncoding ?? kv[1]))
        }
        return .success(pairs)
    }

    /// A query that is not `name=value&…`: the response that says so.
    struct QueryRefusal: Error { let response: HTTPResponse }

    /// `?token=…` from the query, if any (other pairs, well-formed or not, are not its business).
    static func queryToken(_ request: HTTPRequest) -> String? {
        for pair in (request.query ?? "").split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
            if kv.count == 2, kv[0] == "token" { return kv[1].removingPercentEncoding ?? kv[1] }
        }
        return nil
    }

    static func refuseMethod(_ request: HTTPRequest, allowed: [String]) -> HTTPResponse? {
        let method = request.method == "HEAD" ? "GET" : request.method
        guard !allowed.contains(method) else { return nil }
        return .error(405, "\(request.method) is not allowed on \(request.path)", headers: [("Allow", allowed.joined(separator: ", "))])
    }

    static func queue(_ q: StatusBoard.QueueSummary) -> QueueBody {
        let now = Date()
        let longest = q.waiting.values.map { now.timeIntervalSince($0) }.max() ?? 0
        func tenths(_ x: Double) -> Double { (x * 10).rounded() / 10 }
        var body = QueueBody(queue: q.name, waiting: q.waiting.count, longestWaitSeconds: tenths(longest), staffed: q.staffed, available: q.available,
                         answered: q.answered, abandoned: q.abandoned, overflowed: q.overflowed, sentOnEmpty: q.sentOnEmpty,
                         averageAnswerSeconds: q.answered > 0 ? tenths(q.answeredWait / Double(q.answered)) : nil,
                         averageAbandonSeconds: q.abandoned > 0 ? tenths(q.abandonedWait / Double(q.abandoned)) : nil)
        body.calledBack = q.calledBack
        body.callbacks = q.callbacks
        return body
    }
}
