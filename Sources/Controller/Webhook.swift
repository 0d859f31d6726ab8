import Foundation
import ThroughlineCore

/// The CRM webhook: each event (offer, answer, end) a JSON POST to the configured URL, in
/// order, from one background thread. The controller only enqueues (never blocks): the queue
/// holds at most `limit` events and drops the oldest when full (logged). A failed POST (no
/// answer, or not 2xx) is retried after 0.5 s, 1 s and 2 s, then dropped (logged).
public final class Webhook: @unchecked Sendable {
    /// Sends one POST; true for a 2xx answer. Injected by the executable (its HTTP client).
    public typealias Poster = @Sendable (_ body: [UInt8]) -> Bool

    public let url: String
    public static let limit = 1000
    public static let retryDelays: [TimeInterval] = [0.5, 1, 2]
    private let poster: Poster
    private let logger: Logger
    private let condition = NSCondition()
    /// Events not yet sent, as values: encoding them is the webhook thread's work.
    private var pending: [PopBody] = []
    private var stopped = false
    public private(set) var dropped = 0

    public init(url: String, logger: Logger, poster: @escaping Poster) {
        self.url = url
        self.poster = poster
        self.logger = logger
        let thread = Thread { [weak self] in self?.run() }
        thread.name = "webhook"
        thread.start()
    }

    /// Queues one event (`offer`, `answer`, `end`). Called on the controller thread.
    public func post(_ event: String, _ pop: PopBody) {
        var body = pop
        body.event = event
        body.sentAt = Logger.timestamp(Date())
        body.directory = nil  // the desk's, not the CRM's
        let overflow: Bool = condition.withLock {
            pending.append(body)
            let over = pending.count > Self.limit
            if over { pending.removeFirst(); dropped += 1 }
            condition.signal()
            return over
        }
        if overflow { logger.log(.warning, "webhook.dropped", [("why", "queue full"), ("limit", String(Self.limit))]) }
    }

    public func stop() { condition.withLock { stopped = true; condition.signal() } }

    private func run() {
        while true {
            let next: PopBody? = condition.withLock {
                while pending.isEmpty && !stopped { condition.wait() }
                return pending.isEmpty ? nil : pending.removeFirst()
            }
            guard let next else { return }
            let body = WireJSON.compact(next)
            var delivered = poster(body)
            for delay in Self.retryDelays where !delivered {
                Thread.sleep(forTimeInterval: delay)
                delivered = poster(body)
            }
            if !delivered { logger.log(.warning, "webhook.failed", [("url", url), ("why", "no 2xx answer after \(Self.retryDelays.count + 1) tries")]) }
        }
    }
}
