import Foundation
import ThroughlineCore

/// One client's Server-Sent Events stream: a bounded buffer its publisher pushes complete
/// frames into (never blocking: the oldest is dropped when full) and the client's HTTP
/// connection thread waits on. Used by the desks' `PopHub` and the `WallboardHub`.
public final class StreamSubscription: EventStream, @unchecked Sendable {
    /// Who it belongs to (an agent's name for a desk; empty for a wallboard).
    public let key: String
    private let limit: Int
    private let condition = NSCondition()
    private var buffer: [String] = []
    private var finished = false
    /// Removes the subscription from its publisher; called once, when the client goes.
    private let onCancel: @Sendable (StreamSubscription) -> Void

    public init(key: String, limit: Int, onCancel: @escaping @Sendable (StreamSubscription) -> Void) {
        self.key = key
        self.limit = limit
        self.onCancel = onCancel
    }

    /// Adds a frame. Called on the publisher's thread.
    public func push(_ text: String) {
        condition.withLock {
            buffer.append(text)
            if buffer.count > limit { buffer.removeFirst(buffer.count - limit) }
            condition.signal()
        }
    }

    public func next(timeout: Double) -> String? {
        condition.withLock {
            if buffer.isEmpty && !finished { _ = condition.wait(until: Date().addingTimeInterval(timeout)) }
            guard !buffer.isEmpty else { return nil }
            let text = buffer.joined()
            buffer.removeAll()
            return text
        }
    }

    public var isFinished: Bool { condition.withLock { finished && buffer.isEmpty } }

    public func finish() { condition.withLock { finished = true; condition.signal() } }

    public func cancel() {
        finish()
        onCancel(self)
    }
}
