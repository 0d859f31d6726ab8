/// The wallboard's state, as `GET /api/wallboard` returns it and `/wallboard/events` streams
/// it (one `board` event per change): a tile per queue, per department and per declared
/// campaign, and the last hour's chart. Built by `WallboardBuilder`; figures "today" are the
/// UTC day's, the same `throughline report` gives for today (`docs/metrics.md`).
public struct WallboardBody: Codable, Sendable, Equatable {
    /// Agents serving a queue (or a department's queues), by what they are doing: available
    /// (idle, ready), ringing (a queue call offered to their phone), talking (in a call),
    /// wrap-up, paused (idle, not ready). Logged-out agents are in none.
    public struct AgentCounts: Codable, Sendable, Equatable {
        public var available = 0
        public var ringing = 0
        public var talking = 0
        public var wrapUp = 0
        public var paused = 0

        public init() {}

        /// Logged in and not paused: the agents who will take calls.
        public var staffed: Int { available + ringing + talking + wrapUp }

        enum CodingKeys: String, CodingKey { case available, ringing, talking, wrapUp = "wrap_up", paused }
    }

    /// Today's figures of a queue or department (`ReportFigures`).
    public struct Today: Codable, Sendable, Equatable {
        public var offered: Int
        public var answered: Int
        public var abandoned: Int
        public var shortAbandoned: Int
        public var overflowed: Int
        /// Callers who left with a call back keeping their place (not abandons).
        public var calledBack: Int
        /// 0–1; null with nothing answered or abandoned yet.
        @Nullable public var serviceLevel: Double?
        /// Seconds; null with nothing answered.
        @Nullable public var asaSeconds: Double?

        public init(_ f: ReportFigures) {
            offered = f.offered
            answered = f.answered
            abandoned = f.abandoned
            shortAbandoned = f.shortAbandoned
            overflowed = f.overflowed
            calledBack = f.calledBack
            serviceLevel = f.serviceLevel
            asaSeconds = f.averageSpeedOfAnswer.map(\.secondsToTenths)
        }

        enum CodingKeys: String, CodingKey {
            case offered, answered, abandoned, shortAbandoned = "short_abandoned", overflowed, calledBack = "called_back"
            case serviceLevel = "service_level", asaSeconds = "asa_s"
        }
    }

    public struct QueueTile: Codable, Sendable, Equatable {
        public var name: String
        @Nullable public var department: String?
        public var waiting: Int
        public var longestWaitSeconds: Int
        /// The queue's `service-level`, seconds.
        public var serviceLevelSeconds: Int
        public var agents: AgentCounts
        public var today: Today
        public var colour: TileColour
        /// The thresholds met, in words (`longest wait 52 s ≥ 45 s`); empty when ok.
        public var why: [String]
        /// Call backs pending now, and since start placed, connected and given up.
        public var callbacks = CallbackCounts()

        enum CodingKeys: String, CodingKey {
            case name, department, waiting, longestWaitSeconds = "longest_wait_s", serviceLevelSeconds = "service_level_s", agents, today, colour, why
            case callbacks
        }
    }

    public struct DepartmentTile: Codable, Sendable, Equatable {
        public var name: String
        public var title: String
        public var queues: [String]
        public var waiting: Int
        public var longestWaitSeconds: Int
        public var agents: AgentCounts
        public var today: Today
        /// The worst of its queues'.
        public var colour: TileColour

        enum CodingKeys: String, CodingKey { case name, title, queues, waiting, longestWaitSeconds = "longest_wait_s", agents, today, colour }
    }

    public struct CampaignTile: Codable, Sendable, Equatable {
        public var name: String
        public var title: String
        @Nullable public var department: String?
        /// `later`, `announced`, `running` or `ended` (`Campaign.Phase`).
        public var phase: String
        @Nullable public var starts: String?
        @Nullable public var ends: String?
        @Nullable public var expectedPerHour: Int?
        /// Calls that arrived by its routes in the last 60 minutes, and per minute (oldest first).
        public var callsLastHour: Int
        public var perMinute: [Int]
        /// While it runs: callers waiting in its department's queues beyond what the staffed
        /// agents can answer within the service level, in words; null when none.
        @Nullable public var warning: String?

        enum CodingKeys: String, CodingKey {
            case name, title, department, phase, starts, ends, expectedPerHour = "expected_per_hour", callsLastHour = "calls_last_hour",
                 perMinute = "per_minute", warning
        }
    }

    /// One minute of the chart.
    public struct Sample: Codable, Sendable, Equatable {
        public var at: String
        public var peakWaiting: Int
        @Nullable public var serviceLevel: Double?

        enum CodingKeys: String, CodingKey { case at, peakWaiting = "peak_waiting", serviceLevel = "service_level" }
    }

    /// When it was built (UTC).
    public var at: String
    public var queues: [QueueTile]
    public var departments: [DepartmentTile]
    public var campaigns: [CampaignTile]
    public var lastHour: [Sample]
    /// All queues today.
    public var today: Today

    enum CodingKeys: String, CodingKey { case at, queues, departments, campaigns, lastHour = "last_hour", today }
}
