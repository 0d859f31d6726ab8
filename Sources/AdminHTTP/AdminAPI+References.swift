import Controller
import Foundation
import ThroughlineCore

/// The reference resources: any department reads a journey, adds a note, resolves, hands it
/// to a department. The admin token or any agent's token (the author is then that agent). Runs on HTTP
/// threads; the store serialises its own access.
extension AdminAPI {
    func referenceResource(_ request: HTTPRequest) -> HTTPResponse {
        let parts = request.path.dropFirst("/api/references/".count).split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard (1...2).contains(parts.count), !parts[0].isEmpty else { return .error(404, "no such resource: \(request.path)") }
        let sub = parts.count == 2 ? parts[1] : ""
        let allowed: [String] = switch sub {
        case "": ["GET"]
        case "notes", "resolve", "handoff", "reason": ["POST"]
        default: []
        }
        guard !allowed.isEmpty else { return .error(404, "no such resource: \(request.path) (references have notes, resolve, handoff and reason)") }
        if let refused = Self.refuseMethod(request, allowed: allowed) { return refused }
        let author: String
        switch requester(request) {
        case .requester(let who): author = who.name
        case .refused(let refused): return refused
        }
        let reference: ReferenceNumber
        do {
            reference = try ReferenceNumber(parsing: parts[0].removingPercentEncoding ?? parts[0])
        } catch {
            return .error(400, "'\(parts[0])' is not a reference: \(error)")
        }
        guard let book = references else { return .error(503, "no reference store") }
        do {
            guard try book.find(reference) != nil else { return .error(404, "no reference \(reference) was ever issued") }
            switch sub {
            case "handoff":
                return handOff(reference, by: author, request, book: book)
            case "reason":
                if let refused = recordReason(reference, by: author, request, book: book) { return refused }
            case "notes":
                guard case .success(let body) = WireJSON.decode(NoteRequest.self, from: request.body),
                      case let text = body.text.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else {
                    return .error(400, "the body must be a JSON object with a non-empty \"text\"")
                }
                guard text.count <= 2000 else { return .error(400, "a note is at most 2000 characters") }
                try book.append(reference, kind: .note, detail: text, call: nil, author: author)
            case "resolve":
                var note: String?
                if !request.body.isEmpty {
                    guard case .success(let body) = WireJSON.decode(ResolveRequest.self, from: request.body) else {
                        return .error(400, "the body must be empty or a JSON object such as {\"note\": \"refund sent\"}")
                    }
                    note = body.note
                }
                let held = try book.openHandoff(reference)
                guard try book.resolve(reference, by: author, note: note) else { return .error(409, "reference \(reference) is already resolved") }
                if var closed = held {  // it leaves its department's inbox
                    closed.status = .resolved
                    logger?.log(.info, "handoff.resolved", [("handoff", String(closed.id)), ("reference", reference.description),
                                                            ("department", closed.department), ("by", author)])
                    pops?.publish(department: closed.department, .handoff(Self.body(closed, board.handoffDepartments, Date().unixMilliseconds)))
                }
            default:
                break
            }
            guard let summary = try book.find(reference) else { return .error(404, "no reference \(reference) was ever issued") }
            let held = try book.openHandoff(reference).map { Self.body($0, board.handoffDepartments, Date().unixMilliseconds) }
            return Self.json(200, Self.reference(summary, handoff: held))
        } catch {
            return .error(500, "the reference store failed: \(error)")
        }
    }

    public static func reference(_ r: ReferenceSummary, handoff: HandoffBody? = nil) -> ReferenceBody {
        ReferenceBody(reference: r.reference.description, caller: r.caller, status: r.status, issuedAt: r.issuedAt, department: r.department,
                      lastAgent: r.lastAgent, lastTouched: r.lastTouched,
                      journey: r.events.map { ReferenceBody.Event(at: $0.at, kind: $0.kind, detail: $0.detail, call: $0.call, author: $0.author) },
                      handoff: handoff)
    }
}
