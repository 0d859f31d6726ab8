import Controller
import HTTPServer
import ThroughlineCore

/// `GET /api/plan/history` and `POST /api/plan/rollback` (admin token), on an HTTP thread.
extension AdminAPI {
    func planHistory() -> HTTPResponse {
        Self.json(200, PlanHistoryBody(plans: reloader.archive?.entries() ?? [], inForce: board.snapshot.plan?.hash))
    }

    func planRollback(_ request: HTTPRequest) -> HTTPResponse {
        var to: Int?
        if !request.body.allSatisfy({ $0 == 32 || $0 == 10 || $0 == 13 || $0 == 9 }) {
            switch WireJSON.decode(RollbackRequest.self, from: request.body) {
            case .success(let body): to = body.to
            case .failure(.wrongType("to")): return .error(400, "\"to\" must be a history entry's number")
            case .failure: return .error(400, "the body must be empty or a JSON object such as {\"to\": 3}")
            }
        }
        switch reloader.rollback(to: to, trigger: "api") {
        case .done(let outcome, let entry):
            return Self.json(outcome.reloaded ? 200 : 503, RollbackBody(
                rolledBack: outcome.reloaded, to: entry, plan: board.snapshot.plan.map(Self.plan),
                changes: outcome.changes.map(PlanChangeBody.init), errors: outcome.errors.map(\.description)))
        case .refused(let status, let why):
            return .error(status, why)
        case .failed(let outcome):
            return Self.json(422, RollbackBody(rolledBack: false, to: to ?? 0, plan: board.snapshot.plan.map(Self.plan), changes: [],
                                               errors: outcome.errors.map(\.description)))
        }
    }
}
