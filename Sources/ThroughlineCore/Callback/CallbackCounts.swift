/// A queue's call backs for the wallboard and `GET /api/queues`: pending now, and since
/// start the calls placed to customers, the call backs connected, and those given up.
public struct CallbackCounts: Sendable, Equatable, Codable {
    public var pending = 0
    public var placed = 0
    public var connected = 0
    public var failed = 0

    public init(pending: Int = 0, placed: Int = 0, connected: Int = 0, failed: Int = 0) {
        self.pending = pending
        self.placed = placed
        self.connected = connected
        self.failed = failed
    }
}
