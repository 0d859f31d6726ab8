import Foundation

/// A monotonic clock the test moves by hand, for the controller's timers.
public final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var nanoseconds: UInt64 = 1_000_000_000

    public init() {}

    public var now: UInt64 { lock.withLock { nanoseconds } }

    public func advance(by duration: Duration) {
        let ns = UInt64(duration.components.seconds) * 1_000_000_000 + UInt64(duration.components.attoseconds / 1_000_000_000)
        lock.withLock { nanoseconds += ns }
    }

    /// The closure the controller reads time from.
    public var reader: @Sendable () -> UInt64 { { [self] in now } }
}
