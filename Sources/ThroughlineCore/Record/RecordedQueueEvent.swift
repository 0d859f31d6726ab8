/// A queue event as the durable record keeps it: the switchboard's `QueueRecord` and the wall
/// time it happened (Unix milliseconds). What reports read back.
public struct RecordedQueueEvent: Sendable, Equatable {
    public var at: Int64
    public var record: QueueRecord

    public init(at: Int64, record: QueueRecord) {
        self.at = at
        self.record = record
    }
}
