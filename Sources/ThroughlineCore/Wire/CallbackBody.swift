/// One pending call back, in `GET /api/callbacks` (times ISO 8601 UTC).
public struct CallbackBody: Codable, Sendable, Equatable {
    public var id: Int64
    public var number: String
    public var queue: String
    @Nullable public var department: String?
    @Nullable public var reference: String?
    /// When its caller first joined the queue: its place.
    public var joinedAt: String
    public var requestedAt: String
    public var attempts: Int
    /// Waiting to be retried until then; null while it waits in the queue.
    @Nullable public var retryAt: String?
    @Nullable public var lastFailure: String?

    public init(_ c: PendingCallback) {
        id = c.id
        number = c.number
        queue = c.queue
        department = c.department
        reference = c.reference
        joinedAt = UTCTimestamp.string(unixMilliseconds: c.joinedAt)
        requestedAt = UTCTimestamp.string(unixMilliseconds: c.requestedAt)
        attempts = c.attempts
        retryAt = c.retryAt.map { UTCTimestamp.string(unixMilliseconds: $0) }
        lastFailure = c.lastFailure
    }

    enum CodingKeys: String, CodingKey {
        case id, number, queue, department, reference, joinedAt = "joined_at", requestedAt = "requested_at", attempts
        case retryAt = "retry_at", lastFailure = "last_failure"
    }
}

/// `{"callbacks": […]}`, oldest place first.
public struct CallbackListBody: Codable, Sendable, Equatable {
    public var callbacks: [CallbackBody]
    public init(callbacks: [CallbackBody]) { self.callbacks = callbacks }
}

/// The answer to `DELETE /api/callbacks/ID`.
public struct CallbackCancelledBody: Codable, Sendable, Equatable {
    public var id: Int64
    public var cancelled: Bool
    public init(id: Int64, cancelled: Bool) {
        self.id = id
        self.cancelled = cancelled
    }
}
