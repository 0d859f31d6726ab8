/// A call back the contact centre owes a customer: who to call, in which queue, and the place
/// it keeps (when its caller first joined the queue, and their route's priority). Made by the
/// switchboard when a waiting caller confirms a number; kept in the store so a restart keeps
/// it (`SwitchboardEffect.callbackSaved`); read back at start
/// (`SwitchboardInput.callbacksRestored`). Times are the wall clock, in Unix milliseconds.
public struct PendingCallback: Sendable, Equatable, Codable {
    public var id: Int64
    /// The number to call (digits, perhaps a leading `+`): it matched `callback-numbers`.
    public var number: String
    public var queue: String
    /// The caller's reference: the agent's INVITE and pop carry it, the journey grows on it.
    public var reference: String?
    /// The department of the queue, for desks listing their pending call backs.
    public var department: String?
    /// The route's priority of the call that asked for it.
    public var priority: Int
    /// The number the caller had dialled: the customer sees it as the caller ID.
    public var presented: String
    /// When the caller first joined the queue: the call back's place.
    public var joinedAt: Int64
    public var requestedAt: Int64
    /// Calls placed to the customer so far.
    public var attempts: Int
    /// After a failed attempt, when the next may be placed; nil while it waits in the queue.
    public var retryAt: Int64?
    /// Why the last attempt failed ("busy", "no answer", "no key").
    public var lastFailure: String?

    public init(id: Int64, number: String, queue: String, reference: String?, department: String?, priority: Int, presented: String,
                joinedAt: Int64, requestedAt: Int64, attempts: Int = 0, retryAt: Int64? = nil, lastFailure: String? = nil) {
        self.id = id
        self.number = number
        self.queue = queue
        self.reference = reference
        self.department = department
        self.priority = priority
        self.presented = presented
        self.joinedAt = joinedAt
        self.requestedAt = requestedAt
        self.attempts = attempts
        self.retryAt = retryAt
        self.lastFailure = lastFailure
    }

    /// The handle the queue engine and the leg table know it by: its own range, apart from
    /// arriving calls (from 1) and placed legs (`LegTable.firstHandle`, 2^62).
    public static let firstHandle: UInt64 = 1 << 61
    public var handle: CallHandle { CallHandle(Self.firstHandle + UInt64(id)) }
    /// The id of the call back a handle of that range names.
    static func id(of handle: CallHandle) -> Int64 { Int64(handle.rawValue - firstHandle) }
    public static func isCallback(_ handle: CallHandle) -> Bool {
        handle.rawValue >= firstHandle && handle.rawValue < LegTable.firstHandle
    }
}
