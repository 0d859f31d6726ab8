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

    final class Subscription: EventStream, @unchecked Sendable {
        let agent: String
        private let condition = NSCondition()
        private var buffer: [String] = []
        private var finished = false
        private weak var hub: PopHub?

        init(agent: String, hub: PopHub) {
            self.agent = agent
            self.hub = hub
        }

        func push(_ text: String) {
            condition.withLock {
                buffer.append(text)
                if buffer.count > PopHub.bufferLimit { buffer.removeFirst(buffer.count - PopHub.bufferLimit) }
                condition.signal()
            }
        }

        func next(timeout: Double) -> String? {
            condition.withLock {
                if buffer.isEmpty && !finished { _ = condition.wait(until: Date().addingTimeInterval(timeout)) }
                guard !buffer.isEmpty else { return nil }
                let text = buffer.joined()
                buffer.removeAll()
                return text
            }
        }

        var isFinished: Bool { condition.withLock { finished && buffer.isEmpty } }

        func finish() { condition.withLock { finished = true; condition.signal() } }

        func cancel() {
            finish()
            hub?.remove(self)
        }
    }

    private let lock = NSLock()
    private var subscriptions: [String: [Subscription]] = [:]
    /// The offer ringing each agent's phone now (replayed to a desk that connects), kept as
    /// an object and what completes it: it is completed and encoded only if a desk is there
    /// to read it.
    private var ringing: [String: (object: [String: Any], completing: (@Sendable () -> [String: Any])?)] = [:]
    /// Each agent's departments, for broadcasts to one department.
    private var departments: [String: Set<String>] = [:]
    private var nextID = 0

    public init() {}

    /// A desk connects. Called on an HTTP thread.
    public func subscribe(agent: String, hello: [String: Any]) -> EventStream {
        let subscription = Subscription(agent: agent, hub: self)
        let replay = lock.withLock {
            subscriptions[agent, default: []].append(subscription)
            return ringing[agent]
        }
        subscription.push(frame("hello", hello))
        if let replay { subscription.push(frame("offer", Self.complete(replay.object, replay.completing))) }
        return subscription
    }

    /// How many desks are connected for `agent`.
    public func desks(for agent: String) -> Int { lock.withLock { subscriptions[agent]?.count ?? 0 } }

    /// Sends an event to one agent's desks; `completing` adds what is costly to gather (the
    /// reference's journey), called only when a desk is there. `offer` is remembered until
    /// `answered` or `ended` for that agent. Called on the controller thread; the JSON is
    /// encoded only when the agent has a desk connected.
    public func publish(agent: String, event: String, _ object: [String: Any], completing: (@Sendable () -> [String: Any])? = nil) {
        let targets: [Subscription] = lock.withLock {
            switch event {
            case "offer": ringing[agent] = (object, completing)
            case "answered", "ended": ringing[agent] = nil
            default: break
            }
            return subscriptions[agent] ?? []
        }
        guard !targets.isEmpty else { return }
        let text = frame(event, Self.complete(object, completing))
        for subscription in targets { subscription.push(text) }
    }

    private static func complete(_ object: [String: Any], _ completing: (@Sendable () -> [String: Any])?) -> [String: Any] {
        guard let completing else { return object }
        return object.merging(completing()) { $1 }
    }

    /// A marquee message to every desk, or to one department's agents. Returns how many
    /// desks it reached. Called on an HTTP thread.
    @discardableResult
    public func broadcast(_ text: String, department: String?, from author: String) -> Int {
        let object: [String: Any] = ["text": text, "department": department ?? NSNull(), "from": author,
                                     "at": Logger.timestamp(Date())]
        let frameText = frame("broadcast", object)
        let targets: [Subscription] = lock.withLock {
            subscriptions.flatMap { agent, list -> [Subscription] in
                guard let department else { return list }
                return departments[agent]?.contains(department) == true ? list : []
            }
        }
        for subscription in targets { subscription.push(frameText) }
        return targets.count
    }

    /// The plan's agents and their departments (at start and after each reload).
    public func setDepartments(_ byAgent: [String: Set<String>]) { lock.withLock { departments = byAgent } }

    fileprivate func remove(_ subscription: Subscription) {
        lock.withLock { subscriptions[subscription.agent]?.removeAll { $0 === subscription } }
    }

    /// `event: NAME`, `id: N`, one `data:` line of JSON, blank line.
    private func frame(_ event: String, _ object: [String: Any]) -> String {
        let id = lock.withLock { nextID += 1; return nextID }
        // Not sorted: a desk reads keys by name, and sorting costs a sixth of the encoding.
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.withoutEscapingSlashes])) ?? Data("{}".utf8)
        return "event: \(event)\nid: \(id)\ndata: \(String(decoding: data, as: UTF8.self))\n\n"
    }
}
