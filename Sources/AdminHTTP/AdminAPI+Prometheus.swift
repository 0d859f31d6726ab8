import Controller
import Foundation
import ThroughlineCore

/// `GET /metrics`: the status board in the Prometheus text format, for operators who scrape
/// (`authorization: {credentials: TOKEN}` in the scrape config: the admin token). Runs on an
/// HTTP thread; reads the board only.
extension AdminAPI {
    func prometheus(_ request: HTTPRequest) -> HTTPResponse {
        if let refused = Self.refuseMethod(request, allowed: ["GET"]) { return refused }
        if let refused = authorize(request, agent: nil) { return refused }
        var out = PrometheusText()
        let snapshot = board.snapshot
        out.metric("throughline_calls_up", "gauge", help: "Calls up now.", [([], Double(snapshot.calls.count))])
        out.metric("throughline_calls_handled_total", "counter", help: "Calls ended since start.", [([], Double(snapshot.handled))])
        out.metric("throughline_agent_legs_up", "gauge", help: "Calls to agents' phones up now.", [([], Double(board.legs))])
        let queues = board.queueList
        let now = Date()
        func per(_ value: (StatusBoard.QueueSummary) -> Double) -> [([(String, String)], Double)] {
            queues.map { ([("queue", $0.name)], value($0)) }
        }
        out.metric("throughline_queue_waiting", "gauge", help: "Callers waiting in the queue now.", per { Double($0.waiting.count) })
        out.metric("throughline_queue_longest_wait_seconds", "gauge", help: "The longest wait of a caller waiting now.",
                   per { q in q.waiting.values.map { now.timeIntervalSince($0) }.max() ?? 0 })
        out.metric("throughline_queue_agents_staffed", "gauge", help: "Agents logged in who can take the queue's calls.", per { Double($0.staffed) })
        out.metric("throughline_queue_agents_available", "gauge", help: "Of those, available now.", per { Double($0.available) })
        out.metric("throughline_queue_answered_total", "counter", help: "Callers answered since start.", per { Double($0.answered) })
        out.metric("throughline_queue_abandoned_total", "counter", help: "Callers who hung up waiting since start.", per { Double($0.abandoned) })
        out.metric("throughline_queue_overflowed_total", "counter", help: "Callers sent on by max-wait since start.", per { Double($0.overflowed) })
        out.metric("throughline_queue_emptied_total", "counter", help: "Callers sent on-empty since start.", per { Double($0.sentOnEmpty) })
        let agents = board.agentList
        let states = Dictionary(grouping: agents, by: \.state).mapValues(\.count)
        out.metric("throughline_agents", "gauge", help: "Agents by state (idle, offered, talking, wrap-up).",
                   states.keys.sorted().map { ([("state", $0)], Double(states[$0]!)) })
        let histograms = board.inviteHistograms
        out.histogram("throughline_invite_latency_seconds",
                      help: "The controller's time from an event to the agent INVITE it caused, by trigger, since start.",
                      InviteTrigger.allCases.compactMap { t in histograms[t].map { ([("trigger", t.rawValue)], $0) } })
        return HTTPResponse(status: 200, headers: [("Content-Type", "text/plain; version=0.0.4; charset=utf-8"), ("Cache-Control", "no-store")],
                            body: Array(out.text.utf8))
    }
}
