/// The admin API's documents (`GET /api/…`). Field names are a public contract (README,
/// "Stable fields"); `@Nullable` fields are written as `null` when absent.

/// The plan in force: `GET /api/plan`, and inside health and reload answers.
public struct PlanBody: Codable, Sendable, Equatable {
    public var version: Int
    public var hash: String
    public var files: [String]
    public var warnings: Int
    public var loadedAt: String

    public init(version: Int, hash: String, files: [String], warnings: Int, loadedAt: String) {
        self.version = version
        self.hash = hash
        self.files = files
        self.warnings = warnings
        self.loadedAt = loadedAt
    }

    enum CodingKeys: String, CodingKey { case version, hash, files, warnings, loadedAt = "loaded_at" }
}

/// `GET /api/health` (no token).
public struct HealthBody: Codable, Sendable, Equatable {
    public var status: String
    public var version: String
    @Nullable public var plan: PlanBody?
    public var calls: Int

    public init(status: String, version: String, plan: PlanBody?, calls: Int) {
        self.status = status
        self.version = version
        self.plan = plan
        self.calls = calls
    }
}

/// `POST /api/reload`: whether the plan was swapped in, the plan in force, and the
/// diagnostics (`file:line:col: error: …`).
public struct ReloadBody: Codable, Sendable, Equatable {
    public var reloaded: Bool
    @Nullable public var plan: PlanBody?
    public var errors: [String]
    public var warnings: [String]

    public init(reloaded: Bool, plan: PlanBody?, errors: [String], warnings: [String]) {
        self.reloaded = reloaded
        self.plan = plan
        self.errors = errors
        self.warnings = warnings
    }
}

/// One call up now, in `GET /api/calls`.
public struct CallBody: Codable, Sendable, Equatable {
    public var call: String
    public var sipCallID: String
    @Nullable public var reference: String?
    public var from: String
    public var to: String
    public var plan: Int
    public var state: String

    public init(call: String, sipCallID: String, reference: String?, from: String, to: String, plan: Int, state: String) {
        self.call = call
        self.sipCallID = sipCallID
        self.reference = reference
        self.from = from
        self.to = to
        self.plan = plan
        self.state = state
    }

    enum CodingKeys: String, CodingKey { case call, sipCallID = "sip_call_id", reference, from, to, plan, state }
}

/// `GET /api/calls`: the calls up, how many were handled since start, agent legs up.
public struct CallListBody: Codable, Sendable, Equatable {
    public var calls: [CallBody]
    public var handled: Int
    public var legs: Int

    public init(calls: [CallBody], handled: Int, legs: Int) {
        self.calls = calls
        self.handled = handled
        self.legs = legs
    }
}

/// One queue's live figures, in `GET /api/queues`. Averages are `null` until there is one.
public struct QueueBody: Codable, Sendable, Equatable {
    public var queue: String
    public var waiting: Int
    public var longestWaitSeconds: Double
    public var staffed: Int
    public var available: Int
    public var answered: Int
    public var abandoned: Int
    public var overflowed: Int
    public var sentOnEmpty: Int
    @Nullable public var averageAnswerSeconds: Double?
    @Nullable public var averageAbandonSeconds: Double?

    public init(queue: String, waiting: Int, longestWaitSeconds: Double, staffed: Int, available: Int, answered: Int, abandoned: Int,
                overflowed: Int, sentOnEmpty: Int, averageAnswerSeconds: Double?, averageAbandonSeconds: Double?) {
        self.queue = queue
        self.waiting = waiting
        self.longestWaitSeconds = longestWaitSeconds
        self.staffed = staffed
        self.available = available
        self.answered = answered
        self.abandoned = abandoned
        self.overflowed = overflowed
        self.sentOnEmpty = sentOnEmpty
        self.averageAnswerSeconds = averageAnswerSeconds
        self.averageAbandonSeconds = averageAbandonSeconds
    }

    enum CodingKeys: String, CodingKey {
        case queue, waiting, longestWaitSeconds = "longest_wait_s", staffed, available, answered, abandoned, overflowed
        case sentOnEmpty = "sent_on_empty", averageAnswerSeconds = "average_answer_s", averageAbandonSeconds = "average_abandon_s"
    }
}

/// `GET /api/metrics`: INVITE latency per trigger, in microseconds.
public struct MetricsBody: Codable, Sendable, Equatable {
    public struct Latency: Codable, Sendable, Equatable {
        public var count: Int
        public var p50: Double
        public var p99: Double
        public var max: Double

        public init(count: Int, p50: Double, p99: Double, max: Double) {
            self.count = count
            self.p50 = p50
            self.p99 = p99
            self.max = max
        }
    }

    public var inviteLatencyMicroseconds: [String: Latency]
    public var calls: Int
    public var handled: Int
    public var legs: Int
    public var inviteLatencyWindow: String

    public init(inviteLatencyMicroseconds: [String: Latency], calls: Int, handled: Int, legs: Int, inviteLatencyWindow: String) {
        self.inviteLatencyMicroseconds = inviteLatencyMicroseconds
        self.calls = calls
        self.handled = handled
        self.legs = legs
        self.inviteLatencyWindow = inviteLatencyWindow
    }

    enum CodingKeys: String, CodingKey {
        case inviteLatencyMicroseconds = "invite_latency_us", calls, handled, legs, inviteLatencyWindow = "invite_latency_window"
    }
}

/// A finished call's record: `GET /api/records` and the store's copy.
public struct CallRecordBody: Codable, Sendable, Equatable {
    public var call: String
    public var sipCallID: String
    @Nullable public var reference: String?
    public var from: String
    public var to: String
    public var route: String
    @Nullable public var campaign: String?
    public var plan: Int
    public var planHash: String
    public var arrivedAt: String
    public var endedAt: String
    public var code: Int
    public var reason: String
    public var outcome: String
    public var keys: String
    public var path: [PathStepBody]

    public init(call: String, sipCallID: String, reference: String?, from: String, to: String, route: String, campaign: String?, plan: Int,
                planHash: String, arrivedAt: String, endedAt: String, code: Int, reason: String, outcome: String, keys: String, path: [PathStepBody]) {
        self.call = call
        self.sipCallID = sipCallID
        self.reference = reference
        self.from = from
        self.to = to
        self.route = route
        self.campaign = campaign
        self.plan = plan
        self.planHash = planHash
        self.arrivedAt = arrivedAt
        self.endedAt = endedAt
        self.code = code
        self.reason = reason
        self.outcome = outcome
        self.keys = keys
        self.path = path
    }

    enum CodingKeys: String, CodingKey {
        case call, sipCallID = "sip_call_id", reference, from, to, route, campaign, plan, planHash = "plan_hash"
        case arrivedAt = "arrived_at", endedAt = "ended_at", code, reason, outcome, keys, path
    }
}

/// `GET /api/references/REF`: a reference, who holds it, and its whole journey.
public struct ReferenceBody: Codable, Sendable, Equatable {
    public var reference: String
    public var caller: String
    public var status: String
    public var issuedAt: String
    @Nullable public var department: String?
    @Nullable public var lastAgent: String?
    public var lastTouched: String
    public var journey: [Event]

    public init(reference: String, caller: String, status: String, issuedAt: String, department: String?, lastAgent: String?,
                lastTouched: String, journey: [Event]) {
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
        case reference, caller, status, issuedAt = "issued_at", department, lastAgent = "last_agent", lastTouched = "last_touched", journey
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

/// `POST /api/references/REF/notes`: `{"text": "…"}`.
public struct NoteRequest: Codable, Sendable, Equatable {
    public var text: String
}

/// `POST /api/references/REF/resolve`: an empty body, or `{"note": "refund sent"}`.
public struct ResolveRequest: Codable, Sendable, Equatable {
    public var note: String?
}

/// Any 4xx or 5xx answer: `{"error": "the reason"}` (written by `HTTPResponse.error`, which the
/// pure core escapes by hand; read with this type).
public struct ErrorBody: Codable, Sendable, Equatable {
    public var error: String
}

/// The answer to `POST /api/broadcast`: the text sent, the department (`null`: every desk) and
/// how many desks it reached.
public struct BroadcastSentBody: Codable, Sendable, Equatable {
    public var text: String
    @Nullable public var department: String?
    public var desks: Int

    public init(text: String, department: String?, desks: Int) {
        self.text = text
        self.department = department
        self.desks = desks
    }
}
