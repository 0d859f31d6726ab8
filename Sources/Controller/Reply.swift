import Foundation

/// One answer from the controller loop to a thread that asked for a change and waits for it
/// (an HTTP thread setting an agent's status or moving a caller, a reload): the loop calls
/// `answer` once; the asking thread waits, bounded.
public final class Reply<Value: Sendable>: @unchecked Sendable {
    public init() {}

    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var value: Value?

    /// Called on the controller thread.
    public func answer(_ value: Value) {
        lock.withLock { self.value = value }
        done.signal()
    }

    /// The answer, or nil when none came within `seconds`.
    public func wait(seconds: Double) -> Value? {
        guard done.wait(timeout: .now() + seconds) == .success else { return nil }
        return lock.withLock { value }
    }
}
