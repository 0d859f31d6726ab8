import Controller
import Foundation
import ThroughlineCore

/// `GET /api/reports`: the durable record's figures, the same computation as `throughline
/// report`. Runs on an HTTP thread; the store serialises its reads.
extension AdminAPI {
    func report(_ request: HTTPRequest) -> HTTPResponse {
        var from: Int64?, to: Int64?, grouping = QueueReportBuilder.Grouping.queue, interval: Duration?, costs = false
        let parameters: [(name: String, value: String)]
        switch Self.queryParameters(request) {
        case .success(let p): parameters = p
        case .failure(let refusal): return refusal.response
        }
        for (name, value) in parameters {
            switch name {
            case "from", "to":
                guard let ms = UTCTimestamp.parse(value) else { return .error(400, "\(name): '\(value)' is not a UTC time such as 2026-11-30 or 2026-11-30T15:00Z") }
                if name == "from" { from = ms } else { to = ms }
            case "by":
                guard let g = QueueReportBuilder.Grouping(rawValue: value) else { return .error(400, "by: queue, department, campaign or agent, not '\(value)'") }
                grouping = g
            case "interval":
                guard let d = HandoffRules.parseDue(value), d >= .seconds(60) else { return .error(400, "interval: a length of at least a minute, such as 15m") }
                interval = d
            case "costs":
                guard ["true", "false"].contains(value) else { return .error(400, "costs: true or false") }
                costs = value == "true"
            default:
                return .error(400, "unknown query parameter '\(name)' (from, to, by, interval, costs)")
            }
        }
        let now = Date().unixMilliseconds
        let start = from ?? WallboardToday.dayStart(now), end = to ?? now + 1
        guard end > start else { return .error(400, "to must be after from") }
        guard let book = references else { return .error(503, "no store") }
        do {
            return Self.json(200, try book.report(from: start, to: end, by: grouping, interval: interval, costs: costs))
        } catch {
            return .error(500, "the store failed: \(error)")
        }
    }
}
