/// `GET /api/references/REF`: a reference, who holds it (and the open hand-off it is held
/// by, `null` when none), and its whole journey.
public struct ReferenceBody: Codable, Sendable, Equatable {
    public var reference: String
    public var caller: String
    public var status: String
    public var issuedAt: String
    @Nullable public var department: String?
    @Nullable public var lastAgent: String?
    public var lastTouched: String
    public var journey: [Event]
    @Nullable public var handoff: HandoffBody?

    public init(reference: String, caller: String, status: String, issuedAt: String, department: String?, lastAgent: String?,
                lastTouched: String, journey: [Event], handoff: HandoffBody? = nil) {
        self.handoff = handoff
        self.reference = reference
        self.caller = caller
        self.status = status
        self.issuedAt = issuedAt
        self.department = department
        self.lastAgent = lastAgent
        self.lastTouched = lastTouched
        self.journey = journey
    }

    enum CodingKeys: String, CodingKey {
        case reference, caller, status, issuedAt = "issued_at", department, lastAgent = "last_agent", lastTouched = "last_touched", journey, handoff
    }

    public struct Event: Codable, Sendable, Equatable {
        public var at: String
        public var kind: String
        public var detail: String
        @Nullable public var call: String?
        @Nullable public var author: String?

        public init(at: String, kind: String, detail: String, call: String?, author: String?) {
            self.at = at
            self.kind = kind
            self.detail = detail
            self.call = call
            self.author = author
        }
    }
}
