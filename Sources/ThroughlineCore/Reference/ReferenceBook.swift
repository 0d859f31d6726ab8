/// Where references and their journeys live, as the controller and the API see it: the
/// SQLite store in production (`Store.ReferenceStore`). Every method commits before it
/// returns, so what it reports done survives a crash. Implementations read the wall clock
/// themselves (timestamps are records, not inputs to any decision here).
///
/// Called from the controller thread (issue, events, owners, records) and from HTTP threads
/// (lookups, notes, resolution); implementations serialise their own access.
public protocol ReferenceBook: HandoffBook, QueueEventBook {
    /// Issues a new reference for a call from `caller`, with its first journey event.
    func issue(caller: String, call: String, detail: String) throws -> ReferenceNumber
    /// A reference and its journey (only the last `lastEvents` events when given: a pop does
    /// not need a frequent caller's whole history); nil when it was never issued.
    func find(_ reference: ReferenceNumber, lastEvents: Int?) throws -> ReferenceSummary?
    /// The caller's most recently touched open reference, if it was touched within `window`;
    /// without its events (`eventCount` still counts them).
    func openReference(caller: String, within window: Duration) throws -> ReferenceSummary?
    /// The caller's references, newest first.
    func references(caller: String) throws -> [ReferenceSummary]
    /// Adds journey events, in order, in one transaction (and marks their references touched).
    func append(_ entries: [JourneyEntry]) throws
    /// Queues journey events to be added as `append` does, but off the caller's thread: the
    /// controller hands a call's events over and goes on to its next input. Every later use of
    /// the book, from any thread, waits for what was queued before it, so a read never misses
    /// an event the controller wrote. `failed` runs on the writer's thread. The default
    /// appends at once (fakes).
    func appendSoon(_ entries: [JourneyEntry], failed: @escaping @Sendable (any Error) -> Void)
    /// Records who now holds the reference: the department (when known) and the agent.
    func setHolder(_ reference: ReferenceNumber, department: String?, agent: String?) throws
    /// `setHolder` off the caller's thread, after the events `appendSoon` queued before it.
    /// The default writes at once (fakes).
    func setHolderSoon(_ reference: ReferenceNumber, department: String?, agent: String?, failed: @escaping @Sendable (any Error) -> Void)
    /// Marks it resolved (a journey event too). Returns false when it already was.
    func resolve(_ reference: ReferenceNumber, by author: String, note: String?) throws -> Bool
    /// What the reference's latest call was about (`reason` journey event by `author`), also
    /// written into that call's stored record (`"reason"`) when it has been stored.
    func recordReason(_ reference: ReferenceNumber, reason: String, by author: String) throws
    /// Keeps a finished call's record (JSON), by reference and SIP Call-ID.
    func saveCallRecord(json: String, reference: ReferenceNumber?, sipCallID: String) throws
    /// Repeat calls counted against each department.
    func repeatCounts() throws -> [String: Int]
}

extension ReferenceBook {
    public func appendSoon(_ entries: [JourneyEntry], failed: @escaping @Sendable (any Error) -> Void) {
        do { try append(entries) } catch { failed(error) }
    }

    public func setHolderSoon(_ reference: ReferenceNumber, department: String?, agent: String?, failed: @escaping @Sendable (any Error) -> Void) {
        do { try setHolder(reference, department: department, agent: agent) } catch { failed(error) }
    }

    /// A reference and its whole journey; nil when it was never issued.
    public func find(_ reference: ReferenceNumber) throws -> ReferenceSummary? { try find(reference, lastEvents: nil) }

    /// Adds one journey event (and marks the reference touched).
    public func append(_ reference: ReferenceNumber, kind: JourneyKind, detail: String, call: String?, author: String?) throws {
        try append([JourneyEntry(reference: reference, kind: kind, detail: detail, call: call, author: author)])
    }
}

/// A journey event on its way to the store.
public struct JourneyEntry: Sendable, Equatable {
    public var reference: ReferenceNumber
    /// Written as its raw text (`ReferenceSummary.Event.kind` when read back).
    public var kind: JourneyKind
    public var detail: String
    /// The SIP Call-ID it happened on, if a call.
    public var call: String?
    /// Who wrote it, for notes and resolutions.
    public var author: String?

    public init(reference: ReferenceNumber, kind: JourneyKind, detail: String, call: String?, author: String?) {
        self.reference = reference
        self.kind = kind
        self.detail = detail
        self.call = call
        self.author = author
    }
}

/// A reference as stored: its state and its journey, oldest event first.
public struct ReferenceSummary: Sendable, Equatable {
    public struct Event: Sendable, Equatable {
        /// ISO 8601 UTC.
        public var at: String
        /// call, menu, queue, agent, hunt, transfer, repeat, attached, note, resolved, handoff, ended.
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
    /// The journey, oldest first: all of it, or the newest part a lookup asked for.
    public var events: [Event]
    /// How many events the journey has in all (`events` may hold fewer).
    public var eventCount: Int

    public init(reference: ReferenceNumber, caller: String, issuedAt: String, status: String, department: String?, lastAgent: String?,
                lastTouched: String, events: [Event], eventCount: Int? = nil) {
        self.reference = reference
        self.caller = caller
        self.issuedAt = issuedAt
        self.status = status
        self.department = department
        self.lastAgent = lastAgent
        self.lastTouched = lastTouched
        self.events = events
        self.eventCount = eventCount ?? events.count
    }

    public var isOpen: Bool { status == "open" }
}
