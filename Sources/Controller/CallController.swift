import Foundation
import ThroughlineCore

/// The shell around the `Switchboard`: the loop, the clock, and the effects carried out.
/// Inputs from the SIP adapter, the signal handlers, the reload coordinator and the HTTP API
/// arrive through an `EventQueue`; each goes to the switchboard with the time, and what it
/// returns is performed in order: telephony through the port, journey entries and records
/// through the reference store, pops to desks and the webhook, lines to the log and the
/// wallboard. Store reads the switchboard needs come back to it as inputs.
///
/// Confined to one thread, the controller thread: `handle(_:postedAt:)`, `fireDueTimers()`
/// and `run(queue:grace:)` are called only there.
public final class CallController {
    let port: TelephonyPort
    let logger: Logger
    let board: StatusBoard
    /// Monotonic nanoseconds; injected so tests drive time.
    let clock: @Sendable () -> UInt64
    var switchboard: Switchboard
    /// References and journeys (the SQLite store); without one, calls carry no reference.
    let references: ReferenceBook?
    /// Journey entries of the current input, committed together when its effects are done, or
    /// before something reads a journey.
    var waitingJourney: [JourneyEntry] = []
    /// The input being handled and when it was posted: INVITEs sent while handling it are
    /// timed from then (`GET /api/metrics`).
    var trigger: (kind: InviteTrigger, since: UInt64)?
    /// The department directory of one plan version, for pops (built once per plan).
    var directoryCache: (version: Int, departments: [DirectoryDepartmentBody])?
    /// Agents' statuses and registrations kept across restarts; set by the executable before
    /// `restoreAgents()` and `run`.
    public var agentStates: AgentStateBook?
    /// The durable record of queue events (nil: not kept, as in unit tests).
    public var recorder: QueueRecorder?
    /// The supervisors' wallboard: each recorded event and campaign call. Set before `run`.
    public var wallboard: WallboardHub?
    /// Call backs kept across restarts; set by the executable before `restoreCallbacks()` and `run`.
    public var callbackStore: CallbackStore?
    /// Whether no other live node shares the store (asked once, at shutdown): only the last
    /// node to stop ends the agents' available time. Set by the runner for a shared store.
    public var isLastNode: () -> Bool = { true }
    /// The status last saved per agent, so only a change is written.
    var savedStatuses: [String: AgentStatus] = [:]
    /// When (the controller's clock) this node last saved each agent's status and each
    /// login's registration: a read of the shared store that began before is stale for them.
    var statusSavedAt: [String: UInt64] = [:]
    var registrationSavedAt: [String: UInt64] = [:]
    /// The registration this node knows per login (its own REGISTERs and other nodes').
    var knownRegistrations: [String: SavedAgentState.Registration] = [:]
    /// Writes which agents this node has on calls to the shared store; set by the runner for
    /// a shared store only.
    public var engagements: EngagementPublisher?
    /// The agents this node last published as on its calls (an agent whose release waits in
    /// `releasesAfterLine` or `releasesAfterWrite` is still one of them).
    var publishedEngagements: Set<String> = []
    /// Agents freed here whose release waits for the line to be written (see
    /// `publishEngagement`): not yet handed to a write.
    var releasesAfterLine: Set<String> = []
    /// Agents freed here who are released when the line's write in flight ends.
    var releasesAfterWrite: Set<String> = []
    /// The agents other live nodes have on calls, agent → node, as last applied.
    var engagedElsewhere: [String: String] = [:]
    /// Writes the callers waiting here to the shared store; set by the runner for a shared
    /// store only.
    public var waiters: WaiterPublisher?
    /// The switchboard's `waitingGeneration` last handed to `waiters` (nil: hand it again).
    var publishedWaitingGeneration: UInt64?
    /// A set handed to `waiters` whose `ControllerInput.waitersWritten` has not come yet.
    var lineWriteInFlight = false
    /// The other live nodes' waiting callers, as last applied.
    var otherNodesWaiters: [ClusterWaiter] = []

    /// Screen pops to agents' desks; set by the executable before `run`.
    public var pops: PopHub? { didSet { switchboard.wantsPops = pops != nil || webhook != nil } }
    /// The CRM webhook, when configured.
    public var webhook: Webhook? {
        didSet {
            switchboard.wantsPops = pops != nil || webhook != nil
            switchboard.wantsContexts = webhook != nil
        }
    }
    /// `http://HOST:PORT` of the API, for the `Call-Info` header on agent INVITEs.
    public var httpBase: String? {
        get { switchboard.httpBase }
        set { switchboard.httpBase = newValue }
    }
    /// This controller's own SIP address: a call from it is a referred call (blind transfer).
    public var ownAddress: String? {
        get { switchboard.ownAddress }
        set { switchboard.ownAddress = newValue }
    }

    public init(port: TelephonyPort, logger: Logger, plan: PlanVersion, board: StatusBoard = StatusBoard(), references: ReferenceBook? = nil,
                clock: @escaping @Sendable () -> UInt64 = { DispatchTime.now().uptimeNanoseconds }) {
        self.references = references
        self.port = port
        self.logger = logger
        self.board = board
        self.clock = clock
        self.switchboard = Switchboard(plan: plan, at: .nanoseconds(Int64(clock())))
        switchboard.wallClockAtStart = Date().unixMilliseconds
        board.setPlan(switchboard.plan)
        port.setRegistrarAccounts(Self.registrarAccounts(plan.plan))
        port.reserveCallsForAgents(plan.plan.agents.count)
        port.setSIPPolicy(SIPPolicy(plan.plan))
        publishDirectory()
        perform(switchboard.handle(.started, at: now))
    }

    /// The plan new calls take.
    public var plan: PlanVersion { switchboard.plan }
    /// Calls currently up (arrived and not yet ended).
    public var activeCalls: Int { switchboard.activeCalls }
    /// Agent legs dialled and not yet ended.
    public var activeLegs: Int { switchboard.activeLegs }
    public var pendingTimers: Int { switchboard.pendingTimers }
    public var isShuttingDown: Bool { switchboard.isShuttingDown }
    /// Calls that reached their end, since start; for the shutdown summary.
    public var completedCalls: Int { switchboard.completedCalls }

    /// The controller's clock as a `Duration`, the switchboard's time.
    var now: Duration { .nanoseconds(Int64(clock())) }

    /// Applies one input. Called on the controller thread; `postedAt` (the controller's clock)
    /// is when the input was posted, for the INVITE latency metrics.
    public func handle(_ input: ControllerInput, postedAt: UInt64? = nil) {
        // A closure, not `switchboard.isAgentLeg`: a method reference on a struct captures a
        // copy of the whole switchboard, on every input.
        if let postedAt { trigger = (InviteTrigger(input, isAgentLeg: { switchboard.isAgentLeg($0) }), postedAt) }
        defer { trigger = nil }
        if case .telephony(.registration(let login, let contact, let expires)) = input {
            saveRegistration(login: login, contact: contact, expires: expires)
        }
        switch input {
        case .telephony(.callArrived(var incoming)):
            // The wall clock picks the route's campaign running now.
            incoming.arrivedAt = Date().unixMilliseconds
            // The store's first touch (a new reference, or the caller's open one) comes
            // with the arrival: the switchboard says what to ask.
            let touch = switchboard.referenceTouch(for: incoming).map(touchReference) ?? .none
            perform(switchboard.handle(.callArrived(incoming, touch), at: now))
        case .telephony(let event):
            perform(switchboard.handle(.telephony(event), at: now))
        case .transferToDepartment(let call, let department, let reply):
            perform(switchboard.handle(.deskTransfer(call: call, department: department), at: now), reply: {
                if case .deskTransfer(let refused) = $0 { reply(refused) }
            })
        case .reasonGiven(let agent, let reply):
            perform(switchboard.handle(.reasonGiven(agent: agent), at: now), reply: {
                if case .reasonGiven(let known) = $0 { reply(known) }
            })
        case .agentStatus(let agent, let status, let reply):
            perform(switchboard.handle(.agentStatus(agent: agent, status), at: now), reply: {
                if case .agentStatus(let changed) = $0 { reply(changed) }
            })
        case .planLoaded(let loaded, let installed):
            perform(switchboard.handle(.planLoaded(loaded), at: now))
            let current = switchboard.plan
            board.setPlan(current)
            port.setRegistrarAccounts(Self.registrarAccounts(current.plan))
            port.reserveCallsForAgents(current.plan.agents.count)
            port.setSIPPolicy(SIPPolicy(current.plan))
            publishDirectory()
            installed(current)
        case .shutdownRequested(let reason):
            perform(switchboard.handle(.shutdownRequested(reason: reason), at: now))
        case .cancelCallback(let id, let reply):
            perform(switchboard.handle(.cancelCallback(id: id), at: now), reply: {
                if case .callbackCancelled(let refused) = $0 { reply(refused) }
            })
        case .sharedAgentState(let state, let readAt):
            applySharedAgentState(state, readAt: readAt)
        case .sharedEngagements(let engaged):
            applySharedEngagements(engaged)
        case .sharedWaiters(let waiters):
            applySharedWaiters(waiters)
        case .waitersWritten(let ok):
            lineWriteInFlight = false
            if !ok { publishedWaitingGeneration = nil }
            releaseAfterWrite()
        case .callbacksAdopted(let adopted):
            logger.log(.info, "callbacks.adopted", [("count", String(adopted.count)), ("ids", adopted.map { String($0.id) }.joined(separator: ","))])
            perform(switchboard.handle(.callbacksRestored(adopted, nextID: 0), at: now))
        }
    }

    /// Fires every timer that is due. Called on the controller thread by `run`, or by tests
    /// after moving their clock.
    public func fireDueTimers() {
        if trigger == nil { trigger = (.timer, clock()) }
        defer { trigger = nil }
        guard let deadline = switchboard.nextDeadline(), deadline <= now else { return }
        perform(switchboard.handle(.timersDue, at: now))
    }

    /// Runs the loop on the calling thread until a shutdown has been requested and every call
    /// has ended, or `grace` has passed since the request; then shuts the port down and logs
    /// the agents' statuses as stopped.
    public func run(queue: EventQueue<ControllerInput>, grace: TimeInterval = 5) {
        var giveUpAt: UInt64?
        while !switchboard.isDrained {
            let now = clock()
            if let giveUpAt, now >= giveUpAt {
                logger.log(.warning, "shutdown.grace-expired", [("active", String(activeCalls))])
                break
            }
            let deadline = switchboard.nextDeadline()?.clampedNanoseconds
            let wake = [deadline, giveUpAt].compactMap { $0 }.min()
            let until = wake.map { Date(timeIntervalSinceNow: Double($0 > now ? $0 - now : 0) / 1e9) }
            if let (input, postedAt) = queue.next(until: until) {
                handle(input, postedAt: postedAt)
            }
            fireDueTimers()
            publishWaitersIfMoved()
            if isShuttingDown && giveUpAt == nil { giveUpAt = clock() + UInt64(grace * 1e9) }
        }
        port.shutdown()
        // Nobody is staffed while the controller is down (occupancy's base), unless other
        // nodes sharing the store still serve the agents.
        do {
            if isLastNode() {
                try agentStates?.agentsStopped(at: Date().unixMilliseconds)
            } else {
                logger.log(.info, "agents.stop-not-logged", [("why", "other nodes sharing the store still serve the agents")])
            }
        } catch {
            logger.log(.error, "agents.save-failed", [("why", "the stop could not be logged"), ("error", "\(error)")])
        }
        logger.log(.info, "shutdown.complete", [("calls_handled", String(completedCalls)), ("active", String(activeCalls))])
    }

    static func registrarAccounts(_ plan: Dialplan) -> [String: String] {
        var accounts: [String: String] = [:]
        for agent in plan.agents {
            if let login = agent.login?.value, let secret = agent.secret?.value { accounts[login] = secret }
        }
        return accounts
    }
}
