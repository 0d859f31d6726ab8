/// Where references and their journeys live, as the controller and the API see it: the
/// SQLite store in production (`Store.ReferenceStore`). Every method commits before it
/// returns, so what it reports done survives a crash. Implementations read the wall clock
/// themselves (timestamps are records, not inputs to any decision here).
///
/// Called from the controller thread (issue, events, owners, records) and from HTTP threads
/// (lookups, notes, resolution); implementations serialise their own access.
public protocol ReferenceBook: AnyObject, Sendable {
    /// Issues a new reference for a call from `caller`, with its first journey event.
    func issue(caller: String, call: String, detail: String) throws -> ReferenceNumber
    /// A reference and its journey; nil when it was never issued.
    func find(_ reference: ReferenceNumber) throws -> ReferenceSummary?
    /// The caller's most recently touched open reference, if it was touched within `window`.
    func openReference(caller: String, within window: Duration) throws -> ReferenceSummary?
    /// The caller's references, newest first.
    func references(caller: String) throws -> [ReferenceSummary]
    /// Adds a journey event (and marks the reference touched).
    func append(_ reference: ReferenceNumber, kind: String, detail: String, call: String?, author: String?) throws
    /// Records who now holds the reference: the department (when known) and the agent.
    func setHolder(_ reference: ReferenceNumber, department: String?, agent: String?) throws
    /// Marks it resolved (a journey event too). Returns false when it already was.
    func resolve(_ reference: ReferenceNumber, by author: String, note: String?) throws -> Bool
    /// Keeps a finished call's record (JSON), by reference and SIP Call-ID.
    func saveCallRecord(json: String, reference: ReferenceNumber?, sipCallID: String) throws
    /// Repeat calls counted against each department.
    func repeatCounts() throws -> [String: Int]
}

/// A reference as stored: its state and its journey, oldest event first.
public struct ReferenceSummary: Sendable, Equatable {
    public struct Event: Sendable, Equatable {
        /// ISO 8601 UTC.
        public var at: String
        /// call, menu, queue, agent, hunt, transfer, repeat, attached, note, resolved, ended.
        public var kind: String
        public var detail: String
        /// The SIP Call-ID it happened on, if a call.
        public var call: String?
        /// Who wrote a note or resolved it (an agent's name, or "admin").
        public var author: String?

        public init(at: String, kind: String, detail: String, call: String?, author: String?) {
            self.at = at
            self.kind = kind
            self.detail = detail
            self.call = call
            self.author = author
        }
    }

    public var reference: ReferenceNumber
    public var caller: String
    public var issuedAt: String
    /// `open` or `resolved`.
    public var status: String
    public var department: String?
    public var lastAgent: String?
    public var lastTouched: String
    public var events: [Event]

    public init(reference: ReferenceNumber, caller: String, issuedAt: String, status: String, department: String?, lastAgent: String?,
                lastTouched: String, events: [Event]) {
        self.reference = reference
        self.caller = caller
        self.issuedAt = issuedAt
        self.status = status
        self.department = department
        self.lastAgent = lastAgent
        self.lastTouched = lastTouched
        self.events = events
    }

    public var isOpen: Bool { status == "open" }
}
