import Controller
import Foundation
import ThroughlineCore

/// `POST /api/references/REF/reason`: what the call was about, named in wrap-up. Runs on an
/// HTTP thread: the reason is written to the store (journey and call record), then the
/// controller is told the agent gave it (a wrap-up waiting for it ends), waited for at most 5 s.
extension AdminAPI {
    /// nil when recorded (the caller answers with the reference); otherwise the refusal.
    func recordReason(_ reference: ReferenceNumber, by author: String, _ request: HTTPRequest, book: ReferenceBook) -> HTTPResponse? {
        let body: ReasonRequest
        switch WireJSON.decode(ReasonRequest.self, from: request.body) {
        case .success(let decoded): body = decoded
        case .failure(let failure):
            return .error(400, "\(failure.reason): the body must be a JSON object such as {\"reason\": \"refunds\"} or {\"reason\": \"other\", \"text\": \"…\"}")
        }
        let detail: String
        switch CallReason.detail(body.reason, text: body.text, in: board.handoffDepartments) {
        case .success(let d): detail = d
        case .failure(let refusal): return .error(400, refusal.message)
        }
        do {
            try book.recordReason(reference, reason: detail, by: author)
        } catch {
            return .error(500, "the reference store failed: \(error)")
        }
        logger?.log(.info, "reference.reason", [("reference", reference.description), ("reason", detail), ("by", author)])
        guard author != "admin" else { return nil }
        let reply = Reply<Bool>()
        inputs.post(.reasonGiven(agent: author, reply: reply.answer))
        guard reply.wait(seconds: 5) != nil else { return .error(503, "the reason is recorded, but the controller did not take it within 5 s") }
        return nil
    }
}
