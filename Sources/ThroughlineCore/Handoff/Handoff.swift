/// A reference handed to a department: who handed it, the note, when it is due, who owns
/// it now. Stored (the `handoff` table) and shown by the API, the desk and the CLI. Times
/// are Unix milliseconds.
public struct Handoff: Sendable, Equatable {
    public enum Status: String, Sendable {
        /// The department holds it; its owner (or the inbox) answers for it.
        case open
        /// Someone handed the reference on to another department (a newer hand-off).
        case handedOn = "handed-on"
        /// The reference was resolved.
        case resolved
    }

    public var id: Int64
    public var reference: ReferenceNumber
    /// The department that held the reference when it was handed (nil: none yet).
    public var fromDepartment: String?
    /// The agent (or `admin`) who handed it.
    public var fromAgent: String
    public var department: String
    public var note: String
    public var createdAt: Int64
    public var dueAt: Int64?
    /// The agent who answers for it; nil while it waits in the inbox.
    public var owner: String?
    public var status: Status
    public var closedAt: Int64?
    /// When it was first seen overdue (and its department told, once).
    public var overdueAt: Int64?
    /// Calls from the customer while the department held it.
    public var repeats: Int

    public init(id: Int64, reference: ReferenceNumber, fromDepartment: String?, fromAgent: String, department: String, note: String,
                createdAt: Int64, dueAt: Int64?, owner: String?, status: Status = .open, closedAt: Int64? = nil,
                overdueAt: Int64? = nil, repeats: Int = 0) {
        self.id = id
        self.reference = reference
        self.fromDepartment = fromDepartment
        self.fromAgent = fromAgent
        self.department = department
        self.note = note
        self.createdAt = createdAt
        self.dueAt = dueAt
        self.owner = owner
        self.status = status
        self.closedAt = closedAt
        self.overdueAt = overdueAt
        self.repeats = repeats
    }

    /// Open and past its due time at `now`.
    public func isOverdue(at now: Int64) -> Bool {
        status == .open && dueAt.map { now >= $0 } ?? false
    }
}
