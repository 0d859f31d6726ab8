import Controller
import Foundation
import ThroughlineCore

/// The admin HTTP API, first form:
///
///   GET  /api/health   no token: status, version, plan in force, calls up
///   POST /api/reload   admin token: reload the plan; 200 with the new plan, or 422 with the
///                      errors (the running plan stays)
///   GET  /api/plan     admin token: the plan in force (version, hash, files, warnings)
///   GET  /api/plan/preview  admin token: what a reload would change now (nothing installed):
///                      the files' errors and warnings, and each change against the plan in force
///   GET  /api/plan/history  admin token: every plan that loaded (DATA/plans), oldest first
///   POST /api/plan/rollback admin token: `{"to": N}` or no body (the plan before): put a plan
///                      from the history back; 409 when a prompt it played has changed since
///   GET  /api/calls    admin token: calls up, each with the plan version it runs on
///   GET  /api/records  admin token: recent finished calls, newest first, with their path
///                      (`?limit=N`, default 50, at most 1000; `?sip_call_id=ID`)
///   GET  /api/queues   admin token: each queue's waiting callers, longest wait, staffing,
///                      answered, abandoned (with average waits), overflowed
///   GET  /api/metrics  admin token: per trigger (key, agent_free, …), the controller's time
///                      from the event to the agent INVITE it sent: count, p50, p99, max (µs)
///   GET  /api/reports  admin token: queue figures from the durable record (`?from=&to=` UTC
///                      times, default today so far; `by=queue|department|campaign|agent`;
///                      `interval=15m`), as `throughline report --format json` prints them
///   GET  /metrics      admin token: Prometheus text format (queue gauges and counters, calls,
///                      INVITE latency histograms per trigger)
///   GET  /wallboard, /wallboard/events, /api/wallboard, /api/wallboard/token: the
///                      supervisors' wallboard (`AdminAPI+Wallboard.swift`)
///   GET  /api/agents   admin token: every agent's status, state, contact and calls taken
///   GET  /api/agents/NAME            admin or NAME's token: one agent
///   POST /api/agents/NAME/status     admin or NAME's token: `{"status": "available" |
///                      "paused" | "logged-out", "reason": "lunch"}`
///   GET  /api/agents/NAME/token      admin token: NAME's own token (created on first ask)
///   GET  /api/agents/NAME/events     admin or NAME's token (also as ?token=): screen pops, SSE
///   POST /api/broadcast              admin token: `{"text": "…", "department": "sales"}`
///   POST /api/calls/CALL/transfer    admin or the connected agent's token: `{"department": "…"}`
///   GET  /desk/NAME                  the agent desk page: `?token=` (NAME's or the admin's) is
///                                    exchanged for an HttpOnly cookie and a redirect; then the
///                                    cookie authorises the page and its requests
///   GET  /api/references/REF         admin or any agent's token: the reference and journey
///   POST /api/references/REF/notes   admin or any agent's token: `{"text": "…"}`
///   POST /api/references/REF/resolve admin or any agent's token: `{"note": "…"}` (optional);
///                      closes its open hand-off
///   POST /api/references/REF/handoff admin or any agent's token: `{"department": "billing",
///                      "note": "…", "due": "2d"}` → 201 with the hand-off, assigned by the
///                      department's rule (a reference handed again is handed on)
///   POST /api/references/REF/reason  admin or any agent's token: `{"reason": "refunds"}` (a
///                      subject the plan's departments handle) or `{"reason": "other", "text":
///                      "…"}`: what the latest call was about; an agent owing it (`wrap-up-reason
///                      yes`) is free for the next call
///   GET  /api/handoffs/ID            admin or an agent of its department
///   POST /api/handoffs/ID/claim      an agent of its department: they own it now
///   GET  /api/departments/NAME/handoffs  admin or an agent of NAME: its open hand-offs,
///                      newest first (`?overdue=true`: only overdue ones)
///
/// `handle` runs on an HTTP connection thread; it reads the status board and calls the
/// reload coordinator, never the controller directly.
public struct AdminAPI: Sendable {
    public let token: AdminToken
    public let board: StatusBoard
    public let reloader: ReloadCoordinator
    public let agentTokens: AgentTokens
    /// Where agent status changes go: the controller's input queue.
    let inputs: EventQueue<ControllerInput>
    /// References and journeys: read, noted and resolved from HTTP threads.
    let references: ReferenceBook?
    /// Agents' desks: event streams and broadcasts.
    let pops: PopHub?
    /// Where hand-offs are logged (`event=handoff.*`).
    let logger: Logger?
    /// The supervisors' wallboard, and the folder of its read-only token.
    let wallboard: WallboardHub?
    let supervisorTokens: AgentTokens?

    public init(token: AdminToken, board: StatusBoard, reloader: ReloadCoordinator, agentTokens: AgentTokens, inputs: EventQueue<ControllerInput>,
                references: ReferenceBook? = nil, pops: PopHub? = nil, logger: Logger? = nil, wallboard: WallboardHub? = nil,
                supervisorTokens: AgentTokens? = nil) {
        self.logger = logger
        self.wallboard = wallboard
        self.supervisorTokens = supervisorTokens
        self.references = references
        self.pops = pops
        self.token = token
        self.board = board
        self.reloader = reloader
        self.agentTokens = agentTokens
        self.inputs = inputs
    }

    public func handle(_ request: HTTPRequest) -> HTTPResponse {
        if request.path.hasPrefix("/api/agents/") { return agentResource(request) }
        if request.path.hasPrefix("/api/references/") { return referenceResource(request) }
        if request.path.hasPrefix("/api/calls/") { return callResource(request) }
        if request.path.hasPrefix("/api/handoffs/") { return handoffResource(request) }
        if request.path == "/api/callbacks" || request.path.hasPrefix("/api/callbacks/") { return callbackResource(request) }
        if request.path.hasPrefix("/api/departments/") { return departmentResource(request) }
        if request.path.hasPrefix("/desk/") { return deskPage(request) }
        if request.path == "/metrics" { return prometheus(request) }
        if request.path == "/wallboard" || request.path.hasPrefix("/wallboard/") || request.path.hasPrefix("/api/wallboard") {
            return wallboardResource(request)
        }
        let routes: [String: [String]] = ["/api/health": ["GET"], "/api/reload": ["POST"], "/api/plan": ["GET"], "/api/plan/preview": ["GET"],
                                          "/api/plan/history": ["GET"], "/api/plan/rollback": ["POST"],
                                          "/api/calls": ["GET"],
                                          "/api/records": ["GET"], "/api/queues": ["GET"], "/api/agents": ["GET"], "/api/broadcast": ["POST"],
                                          "/api/directory": ["GET"], "/api/metrics": ["GET"], "/api/security": ["GET"],
                                          "/api/reports": ["GET"]]
        guard let methods = routes[request.path] else { return .error(404, "no such resource: \(request.path)") }
        if let refused = Self.refuseMethod(request, allowed: methods) { return refused }
        if request.path != "/api/health", let refused = authorize(request, agent: nil) { return refused }
        let snapshot = board.snapshot
        switch request.path {
        case "/api/agents":
            return Self.json(200, AgentListBody(agents: board.agentList))
        case "/api/directory":
            return Self.json(200, DirectoryBody(departments: directory()))
        case "/api/broadcast":
            return broadcast(request)
        case "/api/queues":
            return Self.json(200, QueueListBody(queues: board.queueList.map(Self.queue)))
        case "/api/metrics":
            return Self.json(200, metrics())
        case "/api/reports":
            return report(request)
        case "/api/security":
            return Self.json(200, SecurityBody(blocked: board.blockedSources.map(SecurityBody.Blocked.init),
                                               shed: board.shedSources.map(SecurityBody.Shed.init)))
        case "/api/health":
            return Self.json(200, HealthBody(status: "ok", version: ThroughlineVersion.current, plan: snapshot.plan.map(Self.plan),
                                             calls: snapshot.calls.count))
        case "/api/plan":
            guard let plan = snapshot.plan else { return .error(503, "no plan loaded yet") }
            return Self.json(200, Self.plan(plan))
        case "/api/plan/history":
            return planHistory()
        case "/api/plan/rollback":
            return planRollback(request)
        case "/api/plan/preview":
            let outcome = reloader.preview()
            return Self.json(200, PlanPreviewBody(plan: snapshot.plan.map(Self.plan), errors: outcome.errors.map(\.description),
                                                  warnings: outcome.warnings.map(\.description), changes: outcome.changes.map(PlanChangeBody.init)))
        case "/api/records":
            var limit = 50
            var sipCallID: String?
            let parameters: [(name: String, value: String)]
            switch Self.queryParameters(request) {
            case .success(let p): parameters = p
            case .failure(let refusal): return refusal.response
            }
            for (name, value) in parameters {
                switch name {
                case "limit":
                    guard let n = Int(value), (1...1000).contains(n) else { return .error(400, "limit must be from 1 to 1000") }
                    limit = n
                case "sip_call_id": sipCallID = value
                default: return .error(400, "unknown query parameter '\(name)' (limit, sip_call_id)")
                }
            }
            return Self.json(200, RecordListBody(records: board.recentRecords(limit: limit, sipCallID: sipCallID).map(\.body)))
        case "/api/calls":
            return Self.json(200, CallListBody(calls: snapshot.calls, handled: snapshot.handled, legs: board.legs))
        default:  // /api/reload
            let outcome = reloader.reload(trigger: "api")
            let current = board.snapshot.plan
            let body = ReloadBody(reloaded: outcome.reloaded, plan: current.map(Self.plan), errors: outcome.errors.map(\.description),
                                  warnings: outcome.warnings.map(\.description), changes: outcome.changes.map(PlanChangeBody.init))
            return Self.json(outcome.reloaded ? 200 : 422, body)
        }
    }

    /// The controller's INVITE latency per trigger, in microseconds: from the event reaching
    /// the controller (pjsua's callback posting it, or the loop taking a timer) to
    /// `pjsua_call_make_call` returning with the INVITE handed to the transport.
    func metrics() -> MetricsBody {
        let latencies = board.inviteLatencies
        var invite: [String: MetricsBody.Latency] = [:]
        for trigger in InviteTrigger.allCases {
            guard let s = latencies[trigger] else { continue }
            invite[trigger.rawValue] = .init(count: s.count, p50: Double(s.p50) / 1000, p99: Double(s.p99) / 1000, max: Double(s.max) / 1000)
        }
        let snapshot = board.snapshot
        return MetricsBody(inviteLatencyMicroseconds: invite, calls: snapshot.calls.count, handled: snapshot.handled, legs: board.legs,
                           inviteLatencyWindow: "the last 10000 INVITEs of each trigger; count is all since start")
    }

    static func plan(_ p: StatusBoard.PlanSummary) -> PlanBody {
        PlanBody(version: p.version, hash: p.hash, files: p.files, warnings: p.warnings, loadedAt: Logger.timestamp(p.loadedAt))
    }

    /// A typed body as an API document (`WireJSON.document`).
    static func json<Body: Encodable>(_ status: Int, _ body: Body) -> HTTPResponse {
        .json(status, WireJSON.document(body))
    }

    /// `{"queues": […]}`.
    struct QueueListBody: Encodable { let queues: [QueueBody] }
    /// `{"records": […]}`, newest first.
    struct RecordListBody: Encodable { let records: [CallRecordBody] }
    /// `GET /api/agents/NAME/token`: the agent's own token.
    struct AgentTokenBody: Encodable { let agent: String; let token: String }
    /// `{"agents": […]}`.
    struct AgentListBody: Encodable { let agents: [AgentBody] }
    /// `{"departments": […]}`.
    struct DirectoryBody: Encodable { let departments: [DirectoryDepartmentBody] }

}
