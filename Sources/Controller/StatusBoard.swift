import Foundation
import ThroughlineCore

/// What the controller is doing, readable from any thread without disturbing it: the plan in
/// force and the calls up. The controller thread writes; the HTTP threads read snapshots.
public final class StatusBoard: @unchecked Sendable {
    public struct PlanSummary: Sendable, Equatable {
        public var version: Int
        public var hash: String
        public var files: [String]
        public var loadedAt: Date
        public var warnings: Int
    }

    /// A queue as a supervisor's wallboard shows it.
    public struct QueueSummary: Sendable, Equatable {
        public var name: String
        /// Waiting callers and when each joined.
        public var waiting: [String: Date] = [:]
        public var staffed = 0
        public var available = 0
        public var answered = 0
        public var abandoned = 0
        public var overflowed = 0
        public var sentOnEmpty = 0
        public var answeredWait: Double = 0
        public var abandonedWait: Double = 0
        /// Callers who left with a call back keeping their place, and the call backs' figures.
        public var calledBack = 0
        public var callbacks = CallbackCounts()
    }

    private let lock = NSLock()
    private var agents: [String: AgentBody] = [:]
    /// The department directory of the plan in force (for desks).
    private var departmentDirectory: [DirectoryDepartmentBody] = []
    /// The plan's departments as the hand-off rules read them (agents, `assign`, `handoff-due`).
    private var departmentRules: [HandoffDepartment] = []
    private var queues: [String: QueueSummary] = [:]
    private var plan: PlanSummary?
    private var dialplan: Dialplan?
    private var calls: [CallHandle: CallBody] = [:]
    /// Call backs pending, by id (`GET /api/callbacks`).
    private var pendingCallbacks: [Int64: PendingCallback] = [:]
    private var handled = 0
    private var legCount = 0
    /// Per trigger, the time from the controller receiving an input to the agent INVITE it
    /// sent in answer (the last 10,000 of each).
    private var inviteLatency: [InviteTrigger: LatencyWindow] = [:]
    /// The same latencies since start, by bucket (`GET /metrics`).
    private var inviteHistogram: [InviteTrigger: LatencyHistogram] = [:]
    /// The most recent finished calls, oldest first, at most `recordLimit`.
    private var records: [CallRecord] = []
    public let recordLimit = 1000

    public init() {}

    public func setPlan(_ loaded: PlanVersion) {
        let summary = PlanSummary(version: loaded.version, hash: loaded.hash, files: loaded.files, loadedAt: Date(), warnings: loaded.warnings.count)
        lock.withLock { plan = summary; dialplan = loaded.plan }
    }

    /// The plan new calls take (the wallboard's queues, departments and campaigns).
    public var planInForce: Dialplan? { lock.withLock { dialplan } }

    /// The hash of the plan in force (the node heartbeat's), without copying the calls.
    public var planHash: String? { lock.withLock { plan?.hash } }

    /// Returns whether the call is new (its first summary).
    @discardableResult
    public func callUpdated(_ handle: CallHandle, _ summary: CallBody) -> Bool {
        lock.withLock { calls.updateValue(summary, forKey: handle) == nil }
    }

    public func callEnded(_ handle: CallHandle) {
        lock.withLock {
            if calls.removeValue(forKey: handle) != nil { handled += 1 }
        }
    }

    /// Agent legs dialled and not yet ended.
    public func setLegs(_ count: Int) { lock.withLock { legCount = count } }

    /// Addresses blocked for failed authentications, by address.
    private var blocks: [String: SourceBlock] = [:]
    /// Records a block beginning (`active`) or ending. Called on the controller thread.
    public func setBlock(_ block: SourceBlock, active: Bool) { lock.withLock { blocks[block.source] = active ? block : nil } }
    /// Blocks in force, by address; read on HTTP threads.
    public var blockedSources: [SourceBlock] { lock.withLock { blocks.values.sorted { $0.source < $1.source } } }

    /// Addresses whose request floods are being shed, by address.
    private var shedding: [String: FloodShedding] = [:]
    /// Records shedding beginning (`active`) or ending. Called on the controller thread.
    public func setShedding(_ shed: FloodShedding, active: Bool) { lock.withLock { shedding[shed.source] = active ? shed : nil } }
    /// Addresses being shed now, by address. Called on HTTP threads.
    public var shedSources: [FloodShedding] { lock.withLock { shedding.values.sorted { $0.source < $1.source } } }
    public var legs: Int { lock.withLock { legCount } }

    /// Keeps a finished call's record (the oldest is dropped past `recordLimit`).
    public func record(_ record: CallRecord) {
        lock.withLock {
            records.append(record)
            if records.count > recordLimit { records.removeFirst(records.count - recordLimit) }
        }
    }

    /// The newest records first, optionally only those of one SIP Call-ID.
    public func recentRecords(limit: Int, sipCallID: String? = nil) -> [CallRecord] {
        lock.withLock {
            Array(records.reversed().lazy.filter { sipCallID == nil || $0.sipCallID == sipCallID }.prefix(limit))
        }
    }

    /// Called on the controller thread right after each agent INVITE went out.
    public func recordInvite(_ trigger: InviteTrigger, nanoseconds: UInt64) {
        lock.withLock {
            inviteLatency[trigger, default: LatencyWindow()].record(nanoseconds)
            inviteHistogram[trigger, default: LatencyHistogram()].record(nanoseconds)
        }
    }

    /// Histograms per trigger since start, for `GET /metrics`.
    public var inviteHistograms: [InviteTrigger: LatencyHistogram] { lock.withLock { inviteHistogram } }

    /// Percentiles per trigger, for `GET /api/metrics`; triggers with no INVITE yet are absent.
    public var inviteLatencies: [InviteTrigger: LatencyWindow.Summary] {
        lock.withLock { inviteLatency.compactMapValues(\.summary) }
    }

    public func setDirectory(_ directory: [DirectoryDepartmentBody], rules: [HandoffDepartment] = []) {
        lock.withLock { departmentDirectory = directory; departmentRules = rules }
    }
    public var handoffDepartments: [HandoffDepartment] { lock.withLock { departmentRules } }
    public var directory: [DirectoryDepartmentBody] { lock.withLock { departmentDirectory } }

    public func setAgent(_ summary: AgentBody) { lock.withLock { agents[summary.agent] = summary } }
    public func removeAgents(notIn names: Set<String>) { lock.withLock { agents = agents.filter { names.contains($0.key) } } }
    public func agent(_ name: String) -> AgentBody? { lock.withLock { agents[name] } }
    public var agentList: [AgentBody] { lock.withLock { agents.values.sorted { $0.agent < $1.agent } } }

    /// Changes one queue's summary (created on first use).
    public func updateQueue(_ name: String, _ body: (inout QueueSummary) -> Void) {
        lock.withLock { body(&queues[name, default: QueueSummary(name: name)]) }
    }
    /// A queue's tally changed (a caller joined or left, its staffing changed); `now` dates a
    /// join. Called on the controller thread for each `SwitchboardEffect.queueTally`.
    public func apply(_ tally: QueueTally, to name: String, now: Date) {
        updateQueue(name) { q in
            switch tally {
            case .joined(let handle):
                q.waiting[handle.description] = now
            case .left(let handle, let outcome):
                q.waiting[handle.description] = nil
                let wait = Double(outcome.wait.clampedNanoseconds) / 1e9
                switch outcome {
                case .answered: q.answered += 1; q.answeredWait += wait
                case .abandoned: q.abandoned += 1; q.abandonedWait += wait
                case .overflowed: q.overflowed += 1
                case .empty: q.sentOnEmpty += 1
                }
            case .calledBack(let handle):
                q.waiting[handle.description] = nil
                q.calledBack += 1
            case .callbacks(let counts):
                q.callbacks = counts
            case .staffing(let staffed, let available):
                q.staffed = staffed
                q.available = available
            }
        }
    }
    public func setCallback(_ callback: PendingCallback) { lock.withLock { pendingCallbacks[callback.id] = callback } }
    public func removeCallback(_ id: Int64) { lock.withLock { _ = pendingCallbacks.removeValue(forKey: id) } }
    /// Pending call backs, oldest place first.
    public var callbackList: [PendingCallback] {
        lock.withLock { pendingCallbacks.values.sorted { ($0.joinedAt, $0.id) < ($1.joinedAt, $1.id) } }
    }
    public var queueList: [QueueSummary] { lock.withLock { queues.values.sorted { $0.name < $1.name } } }

    public var snapshot: (plan: PlanSummary?, calls: [CallBody], handled: Int) {
        lock.withLock { (plan, calls.values.sorted { Int($0.call) ?? 0 < Int($1.call) ?? 0 }, handled) }
    }
}
