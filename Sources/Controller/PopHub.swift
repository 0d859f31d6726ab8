import Foundation
import ThroughlineCore

/// Screen pops and broadcasts on their way to agents' desks, as Server-Sent Events
/// (`GET /api/agents/NAME/events`). The controller thread publishes (never blocks: each
/// subscriber has a bounded buffer, the oldest event dropped when full); HTTP connection
/// threads wait on their subscription. A desk that connects while its agent's phone rings
/// gets that offer at once.
public final class PopHub: @unchecked Sendable {
    /// At most this many undelivered events per desk.
    public static let bufferLimit = 256

    typealias Subscription = StreamSubscription

    /// What a desk's stream carries, each event a typed body (`ThroughlineCore/Wire/`).
    public enum DeskEvent: Sendable {
        case hello(DeskHelloBody)
        case offer(PopBody)
        case answered(LegPopBody)
        case ended(LegPopBody)
        case broadcast(BroadcastBody)
        /// A hand-off made, claimed, resolved or found overdue in one of the agent's departments.
        case handoff(HandoffBody)

        var name: String {
            switch self {
            case .hello: "hello"
            case .offer: "offer"
            case .answered: "answered"
            case .ended: "ended"
            case .broadcast: "broadcast"
            case .handoff: "handoff"
            }
        }

        var json: [UInt8] {
            switch self {
            case .hello(let body): WireJSON.compact(body)
            case .offer(let body): WireJSON.compact(body)
            case .answered(let body), .ended(let body): WireJSON.compact(body)
            case .broadcast(let body): WireJSON.compact(body)
            case .handoff(let body): WireJSON.compact(body)
            }
        }
    }

    /// Adds the costly part of an offer (the reference's journey, a store read); called only
    /// when a desk is there to read the offer.
    public typealias Completion = @Sendable () -> ReferenceContextBody?

    private let lock = NSLock()
    private var subscriptions: [String: [Subscription]] = [:]
    /// The offer ringing each agent's phone now (replayed to a desk that connects), kept as
    /// a value and what completes it: it is completed and encoded only if a desk is there
    /// to read it.
    private var ringing: [String: (pop: PopBody, completing: Completion?)] = [:]
    /// Each agent's departments, for broadcasts to one department.
    private var departments: [String: Set<String>] = [:]
    private var nextID = 0

    public init() {}

    /// A desk connects. Called on an HTTP thread.
    public func subscribe(agent: String, hello: DeskHelloBody) -> EventStream {
        let subscription = StreamSubscription(key: agent, limit: Self.bufferLimit) { [weak self] in self?.remove($0) }
        let replay = lock.withLock {
            subscriptions[agent, default: []].append(subscription)
            return ringing[agent]
        }
        subscription.push(frame(.hello(hello)))
        if let replay { subscription.push(frame(.offer(replay.pop.with(replay.completing?())))) }
        return subscription
    }

    /// How many desks are connected for `agent`.
    public func desks(for agent: String) -> Int { lock.withLock { subscriptions[agent]?.count ?? 0 } }

    /// An offer to one agent's desks, remembered until `answered` or `ended` for that agent;
    /// `completing` adds the reference's part, called only when a desk is there. Called on the
    /// controller thread; the JSON is encoded only when the agent has a desk connected.
    public func offer(agent: String, _ pop: PopBody, completing: Completion? = nil) {
        let targets: [Subscription] = lock.withLock {
            ringing[agent] = (pop, completing)
            return subscriptions[agent] ?? []
        }
        guard !targets.isEmpty else { return }
        let text = frame(.offer(pop.with(completing?())))
        for subscription in targets { subscription.push(text) }
    }

    /// Any other event to one agent's desks (`answered` and `ended` forget the ringing offer).
    /// Called on the controller thread.
    public func publish(agent: String, _ event: DeskEvent) {
        let targets: [Subscription] = lock.withLock {
            switch event {
            case .answered, .ended: ringing[agent] = nil
            case .offer(let pop): ringing[agent] = (pop, nil)
            case .hello, .broadcast, .handoff: break
            }
            return subscriptions[agent] ?? []
        }
        guard !targets.isEmpty else { return }
        let text = frame(event)
        for subscription in targets { subscription.push(text) }
    }

    /// A marquee message to every desk, or to one department's agents. Returns how many
    /// desks it reached. Called on an HTTP thread.
    @discardableResult
    public func broadcast(_ text: String, department: String?, from author: String) -> Int {
        publish(department: department, .broadcast(BroadcastBody(text: text, department: department, from: author, at: Logger.timestamp(Date()))))
    }

    /// An event to every desk of one department's agents (every desk when nil). Returns how
    /// many desks it reached. Called on HTTP threads and the overdue watch's queue.
    @discardableResult
    public func publish(department: String?, _ event: DeskEvent) -> Int {
        let targets: [Subscription] = lock.withLock {
            subscriptions.flatMap { agent, list -> [Subscription] in
                guard let department else { return list }
                return departments[agent]?.contains(department) == true ? list : []
            }
        }
        guard !targets.isEmpty else { return 0 }
        let text = frame(event)
        for subscription in targets { subscription.push(text) }
        return targets.count
    }

    /// The plan's agents and their departments (at start and after each reload).
    public func setDepartments(_ byAgent: [String: Set<String>]) { lock.withLock { departments = byAgent } }

    fileprivate func remove(_ subscription: Subscription) {
        lock.withLock { subscriptions[subscription.key]?.removeAll { $0 === subscription } }
    }

    /// `event: NAME`, `id: N`, one `data:` line of JSON, blank line.
    private func frame(_ event: DeskEvent) -> String {
        let id = lock.withLock { nextID += 1; return nextID }
        return "event: \(event.name)\nid: \(id)\ndata: \(String(decoding: event.json, as: UTF8.self))\n\n"
    }
}
