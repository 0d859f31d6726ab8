import Controller
import Foundation
import ThroughlineCore

/// Hand-offs over HTTP: made on a reference, claimed, listed per department. Runs on HTTP
/// threads; the store applies the rules in one transaction per request, so a refused request
/// changes no record. Each change is logged (`event=handoff.*`) and sent to the receiving
/// department's desks as a `handoff` event.
extension AdminAPI {
    /// Who is asking: the admin, or an agent by their token or their desk's cookie.
    enum Requester {
        case admin
        case agent(String)

        /// The journey's author.
        var name: String {
            switch self {
            case .admin: "admin"
            case .agent(let a): a
            }
        }
    }

    /// Who asked, or the 401 that says what is missing.
    enum Identified {
        case requester(Requester)
        case refused(HTTPResponse)
    }

    /// The requester, or the 401 that says what is missing.
    func requester(_ request: HTTPRequest) -> Identified {
        let deskAgent = request.header("authorization") == nil ? deskCookieAgent(request) : nil
        guard request.header("authorization") != nil || deskAgent != nil else {
            return .refused(.error(401, "this endpoint needs the admin token or an agent's token: Authorization: Bearer TOKEN",
                                   headers: [("WWW-Authenticate", "Bearer")]))
        }
        if token.accepts(request.bearerToken) { return .requester(.admin) }
        if let agent = deskAgent ?? agentTokens.agent(presenting: request.bearerToken) { return .requester(.agent(agent)) }
        return .refused(.error(401, "the token is not valid", headers: [("WWW-Authenticate", "Bearer error=\"invalid_token\"")]))
    }

    /// `POST /api/references/REF/handoff` (the reference exists; `author` is checked).
    func handOff(_ reference: ReferenceNumber, by author: String, _ request: HTTPRequest, book: ReferenceBook) -> HTTPResponse {
        let body: HandoffRequest
        switch WireJSON.decode(HandoffRequest.self, from: request.body) {
        case .success(let decoded): body = decoded
        case .failure(let failure):
            return .error(400, "\(failure.reason): the body must be a JSON object such as {\"department\": \"billing\", \"note\": \"refund the shipping\", \"due\": \"2d\"}")
        }
        let departments = board.handoffDepartments
        let department: HandoffDepartment, note: String, due: Duration?
        switch HandoffRules.check(department: body.department, note: body.note, due: body.due, in: departments) {
        case .success(let checked): (department, note, due) = checked
        case .failure(let refusal): return .error(refusal.status, refusal.message)
        }
        let now = Date().unixMilliseconds
        let made: Handoff
        let previous = (try? book.openHandoff(reference)).flatMap { $0 }
        do {
            switch try book.handOff(reference, to: department, note: note, due: due, by: author, at: now) {
            case .success(let h): made = h
            case .failure(let refusal): return .error(refusal.status, refusal.message)
            }
        } catch {
            return .error(500, "the reference store failed: \(error)")
        }
        logger?.log(.info, "handoff.created", [("handoff", String(made.id)), ("reference", reference.description), ("from", author),
                                               ("from_department", made.fromDepartment ?? ""), ("department", made.department),
                                               ("owner", made.owner ?? ""), ("due", made.dueAt.map { UTCTimestamp.string(unixMilliseconds: $0) } ?? "")])
        let shown = HandoffBody(made, departmentTitle: department.title, at: now)
        pops?.publish(department: made.department, .handoff(shown))
        if var handedOn = previous, handedOn.department != made.department {  // it leaves that inbox
            handedOn.status = .handedOn
            logger?.log(.info, "handoff.handed-on", [("handoff", String(handedOn.id)), ("reference", reference.description),
                                                     ("department", handedOn.department), ("to", made.department), ("by", author)])
            pops?.publish(department: handedOn.department, .handoff(Self.body(handedOn, departments, now)))
        }
        return Self.json(201, shown)
    }

    /// `/api/handoffs/ID` and `/api/handoffs/ID/claim`.
    func handoffResource(_ request: HTTPRequest) -> HTTPResponse {
        let parts = request.path.dropFirst("/api/handoffs/".count).split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard (1...2).contains(parts.count), parts.count == 1 || parts[1] == "claim" else {
            return .error(404, "no such resource: \(request.path) (hand-offs have claim)")
        }
        if let refused = Self.refuseMethod(request, allowed: parts.count == 2 ? ["POST"] : ["GET"]) { return refused }
        let who: Requester
        switch requester(request) {
        case .requester(let w): who = w
        case .refused(let refused): return refused
        }
        guard let id = Int64(parts[0]), id > 0 else { return .error(400, "'\(parts[0])' is not a hand-off id (a positive number)") }
        guard let book = references else { return .error(503, "no reference store") }
        let departments = board.handoffDepartments
        let now = Date().unixMilliseconds
        do {
            guard let found = try book.handoff(id) else { return .error(404, HandoffRefusal.noSuchHandoff(id).message) }
            let mine = Self.departments(of: who, in: departments)
            if case .agent(let agent) = who, !mine.contains(found.department) {
                return .error(403, HandoffRefusal.notInDepartment(agent: agent, department: found.department).message)
            }
            guard parts.count == 2 else { return Self.json(200, Self.body(found, departments, now)) }
            guard case .agent(let agent) = who else { return .error(403, HandoffRefusal.notAnAgent.message) }
            switch try book.claim(id, by: agent, agentDepartments: mine, at: now) {
            case .failure(let refusal):
                return .error(refusal.status, refusal.message)
            case .success(let claimed):
                logger?.log(.info, "handoff.claimed", [("handoff", String(id)), ("reference", claimed.reference.description),
                                                       ("department", claimed.department), ("owner", agent),
                                                       ("was", found.owner ?? "")])
                let shown = Self.body(claimed, departments, now)
                pops?.publish(department: claimed.department, .handoff(shown))
                return Self.json(200, shown)
            }
        } catch {
            return .error(500, "the reference store failed: \(error)")
        }
    }

    /// `GET /api/departments/NAME/handoffs[?overdue=true]`.
    func departmentResource(_ request: HTTPRequest) -> HTTPResponse {
        let parts = request.path.dropFirst("/api/departments/".count).split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, parts[1] == "handoffs", !parts[0].isEmpty else {
            return .error(404, "no such resource: \(request.path) (departments have handoffs)")
        }
        if let refused = Self.refuseMethod(request, allowed: ["GET"]) { return refused }
        let who: Requester
        switch requester(request) {
        case .requester(let w): who = w
        case .refused(let refused): return refused
        }
        let departments = board.handoffDepartments
        let name = parts[0]
        guard departments.contains(where: { $0.name == name }) else {
            return .error(404, HandoffRefusal.unknownDepartment(name, valid: departments.map(\.name)).message)
        }
        if case .agent(let agent) = who, !Self.departments(of: who, in: departments).contains(name) {
            return .error(403, HandoffRefusal.notInDepartment(agent: agent, department: name).message)
        }
        var overdueOnly = false
        let parameters: [(name: String, value: String)]
        switch Self.queryParameters(request) {
        case .success(let p): parameters = p
        case .failure(let refusal): return refusal.response
        }
        for (name, value) in parameters {
            switch (name, value) {
            case ("overdue", "true"), ("overdue", "1"): overdueOnly = true
            case ("overdue", "false"), ("overdue", "0"): overdueOnly = false
            default: return .error(400, "unknown query parameter '\(name)=\(value)' (overdue=true)")
            }
        }
        guard let book = references else { return .error(503, "no reference store") }
        let now = Date().unixMilliseconds
        do {
            let open = try book.handoffs(department: name, openOnly: true).filter { !overdueOnly || $0.isOverdue(at: now) }
            return Self.json(200, HandoffListBody(department: name, handoffs: open.map { Self.body($0, departments, now) }))
        } catch {
            return .error(500, "the reference store failed: \(error)")
        }
    }

    /// The departments `who` belongs to (every one, for the admin).
    static func departments(of who: Requester, in departments: [HandoffDepartment]) -> Set<String> {
        switch who {
        case .admin: Set(departments.map(\.name))
        case .agent(let agent): Set(departments.filter { $0.agents.contains(agent) }.map(\.name))
        }
    }

    static func body(_ h: Handoff, _ departments: [HandoffDepartment], _ now: Int64) -> HandoffBody {
        HandoffBody(h, departmentTitle: departments.first { $0.name == h.department }?.title ?? h.department, at: now)
    }

    /// `{"department": "billing", "handoffs": […]}`, newest first.
    struct HandoffListBody: Encodable {
        let department: String
        let handoffs: [HandoffBody]
    }
}
