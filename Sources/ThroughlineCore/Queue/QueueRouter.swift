/// The queue engine: which waiting caller goes to which agent, across every queue.
///
/// One value for the whole controller (a caller waits in one queue; an agent serves many).
/// Inputs are events named after what happened, with the time since the controller started
/// (`callerJoined`, `offerAnswered`, `offerFailed`, `callReleased`, `statusChanged`,
/// `contactChanged`, `timerFired`, `planChanged`); each returns the `RouterAction`s to perform.
/// No I/O, clock or thread; randomness (the `random` strategy) comes from the seed.
///
/// Routing cost does not grow with waiting callers times agents. Each queue keeps, for each
/// skill tier (its `require`, then each `expand` step), a heap of its free agents (ordered by
/// preferred skills met, then the strategy's key) and a heap of its waiting callers (ordered
/// by arrival less `priority × priority-weight`). The invariant after every input: no free
/// agent is eligible for a waiting caller. So an agent coming free looks only at the heads of
/// the caller heaps of their queues (O(queues × tiers × log n)), and a caller arriving or
/// reaching an expansion step only at the heads of the free-agent heaps of their queue.
public struct QueueRouter: Sendable {
    struct AgentEntry: Sendable {
        var name: String
        var skills: [String: Int]
        /// The plan's static contact.
        var staticContact: String?
        /// Whether the agent reaches us by REGISTER (then `contact` is the registration's).
        var registers: Bool
        var contact: String?
        var status: AgentStatus = .available
        var state: AgentState = .idle
        var idleSince: Duration = .zero
        var callsTaken = 0
        var heldBackUntil: Duration?
        /// In wrap-up until they name the last call's reason (`wrap-up-reason yes`).
        var reasonOwed = false
        /// When the wrap-up time of their last call ends.
        var wrapUpEnds: Duration = .zero
        /// Round-robin: the offer sequence of this agent's last offer, per queue.
        var lastOffered: [String: UInt64] = [:]
        /// The queues this agent can serve, with the first tier that admits them and how many
        /// of the queue's preferred skills they meet.
        var memberships: [(queue: Int, tier: Int, preferred: Int)] = []
        /// No longer in the plan: never offered again.
        var removed = false
        /// On a call of another node sharing the store (offered, talking or in wrap-up there):
        /// not offered from here until that node frees them or stops being live.
        var engagedElsewhere = false
        /// Left free for an older caller waiting on another node (`RemoteCaller.id`), who that
        /// node offers them to: not offered from here until the line changes.
        var heldFor: String?

        var isStaffed: Bool { !removed && contact != nil && status != .loggedOut }
        var isWorking: Bool { !removed && contact != nil && status == .available }
        var isFree: Bool { isWorking && state == .idle && heldBackUntil == nil && !engagedElsewhere && heldFor == nil }
    }

    /// A free agent's place in a queue's heap: more preferred skills first, then the key of
    /// the queue's strategy (least first), then the agent's index.
    struct FreeKey: Comparable, Sendable {
        var preferred: Int
        var primary: Int64
        var secondary: UInt64
        static func < (a: FreeKey, b: FreeKey) -> Bool {
            (-a.preferred, a.primary, a.secondary) < (-b.preferred, b.primary, b.secondary)
        }
    }

    /// A waiting caller's place: arrival less the priority allowance, then arrival order.
    struct WaitKey: Comparable, Sendable {
        var effectiveArrival: Duration
        var sequence: UInt64
        static func < (a: WaitKey, b: WaitKey) -> Bool {
            (a.effectiveArrival, a.sequence) < (b.effectiveArrival, b.sequence)
        }
    }

    struct QueueEntry: Sendable {
        var definition: Queue
        /// Tier 0 is `require`; tier k is the k-th `expand` step.
        var tiers: [[SkillRequirement]]
        var free: [PriorityIndex<Int, FreeKey>]
        var waiting: [PriorityIndex<CallHandle, WaitKey>]
        /// Eligible agents logged in and reachable (paused counts), and those available.
        var staffed = 0
        var working = 0
        /// Recent handle times (talk plus wrap-up), newest last, at most `handleSamples`.
        var handleTimes: [Duration] = []
        var stats = QueueStats()

        init(_ definition: Queue) {
            self.definition = definition
            tiers = [definition.require] + definition.expansions.map(\.require)
            free = Array(repeating: PriorityIndex(), count: tiers.count)
            waiting = Array(repeating: PriorityIndex(), count: tiers.count)
        }
    }

    struct CallerEntry: Sendable {
        var queue: Int
        var joinedAt: Duration
        var key: WaitKey
        var tier = 0
        /// Agents whose phones ring for this caller now.
        var offered: Set<Int> = []
        /// A repeat caller's last agent: only they are offered the call until the preference
        /// ends (`last-agent-first`).
        var preferred: Int?
        /// A call back keeping a caller's place: no announcements, no `max-wait`, and it stays
        /// when the queue empties (it waits for an agent to log in).
        var isCallback = false
    }

    /// How many handle times the expected-wait estimate averages, and how many it needs
    /// before it says anything at all.
    public static let handleSamples = 20
    public static let minimumSamples = 5

    var agents: [AgentEntry] = []
    var agentIndex: [String: Int] = [:]
    var queues: [QueueEntry] = []
    var queueIndex: [String: Int] = [:]
    var callers: [CallHandle: CallerEntry] = [:]
    /// Answered queue calls: the agent and the queue, and when the agent answered.
    var talking: [CallHandle: (agent: Int, queue: String, since: Duration)] = [:]
    /// Callers waiting for their last agent, by agent, oldest first (entries whose caller left
    /// or whose preference ended are skipped when read).
    var reserved: [Int: [CallHandle]] = [:]
    var settings: PlanSettings
    var offerSequence: UInt64 = 0
    var joinSequence: UInt64 = 0
    var random: SplitMix64
    /// Callers waiting on the other nodes of a cluster, by queue name, first in line first
    /// (`remoteWaitersChanged`); empty on a node of its own.
    var remote: [String: [RemoteCaller]] = [:]
    /// Changes whenever the set of callers waiting here (not being offered) may have changed:
    /// the shell publishes them to the other nodes when it moves.
    public internal(set) var waitingGeneration: UInt64 = 0

    /// The engine for `plan`'s agents and queues. Every agent starts `available`; one who
    /// registers is reachable only once registered.
    public init(plan: Dialplan, seed: UInt64 = 0x5EED) {
        settings = plan.settings
        random = SplitMix64(seed: seed)
        _ = rebuild(plan: plan, at: .zero)
    }

    // MARK: queries (status board, API, tests)

    public struct AgentSnapshot: Sendable, Equatable {
        public var name: String
        public var status: AgentStatus
        public var state: AgentState
        public var contact: String?
        public var callsTaken: Int
        public var idleSince: Duration
        public var heldBackUntil: Duration?
        public var queues: [String]
        /// In wrap-up until they name the last call's reason.
        public var reasonOwed: Bool = false
        /// On a call of another node sharing the store.
        public var engagedElsewhere: Bool = false
    }

    public struct QueueSnapshot: Sendable, Equatable {
        public var name: String
        /// Callers waiting and not being offered.
        public var waiting: Int
        public var staffed: Int
        public var available: Int
        public var stats: QueueStats
    }

    public func agent(_ name: String) -> AgentSnapshot? {
        guard let i = agentIndex[name], !agents[i].removed else { return nil }
        let a = agents[i]
        return AgentSnapshot(name: a.name, status: a.status, state: a.state, contact: a.contact, callsTaken: a.callsTaken,
                             idleSince: a.idleSince, heldBackUntil: a.heldBackUntil,
                             queues: a.memberships.map { queues[$0.queue].definition.name.value }, reasonOwed: a.reasonOwed,
                             engagedElsewhere: a.engagedElsewhere)
    }

    public var agentNames: [String] { agents.filter { !$0.removed }.map(\.name) }
    public var queueNames: [String] { queues.map(\.definition.name.value) }

    /// A queue's staffing and counts. Cheap: no walk over callers.
    public func queue(_ name: String) -> QueueSnapshot? {
        guard let q = queueIndex[name] else { return nil }
        let entry = queues[q]
        return QueueSnapshot(name: name, waiting: entry.waiting.reduce(0) { $0 + $1.count }, staffed: entry.staffed,
                             available: entry.working, stats: entry.stats)
    }

    /// The department a queue serves, by its rules in force here.
    public func queueDepartment(_ name: String) -> String? {
        queueIndex[name].flatMap { queues[$0].definition.department?.value }
    }

    /// The queue a caller waits in, if any.
    public func queueOf(_ call: CallHandle) -> String? {
        callers[call].map { queues[$0.queue].definition.name.value }
    }

    /// Waiting callers (including those whose offer is ringing), across all queues.
    public var waitingCount: Int { callers.count }

    // MARK: plan

    /// A new plan is in force: agents keep their status and state by name, callers keep their
    /// place by name. Agents the plan dropped are never offered again (a call they are on
    /// goes on); a queue the plan dropped keeps its old rules for the callers still in it.
    public mutating func planChanged(_ plan: Dialplan, at now: Duration) -> [RouterAction] {
        settings = plan.settings
        return rebuild(plan: plan, at: now)
    }

    mutating func rebuild(plan: Dialplan, at now: Duration) -> [RouterAction] {
        waitingGeneration += 1
        // Agents: update or add by name; mark the missing as removed.
        var seen = Set<String>()
        for agent in plan.agents {
            let name = agent.name.value
            seen.insert(name)
            let skills = agent.skills.mapValues(\.value)
            if let i = agentIndex[name] {
                agents[i].skills = skills
                agents[i].staticContact = agent.contact?.value
                agents[i].registers = agent.login != nil
                if !agents[i].registers { agents[i].contact = agent.contact?.value }
                agents[i].removed = false
            } else {
                agentIndex[name] = agents.count
                agents.append(AgentEntry(name: name, skills: skills, staticContact: agent.contact?.value, registers: agent.login != nil,
                                         contact: agent.login != nil ? nil : agent.contact?.value, idleSince: now))
            }
        }
        for i in agents.indices where !seen.contains(agents[i].name) { agents[i].removed = true }

        // Queues: the plan's, plus dropped ones that still hold callers.
        var definitions = plan.queues
        let planNames = Set(plan.queues.map(\.name.value))
        let heldNames = Set(callers.values.map(\.queue)).map { queues[$0].definition }
        definitions += heldNames.filter { !planNames.contains($0.name.value) }
        let oldQueueOfCaller = callers.mapValues { queues[$0.queue].definition.name.value }
        let oldStats = Dictionary(queues.map { ($0.definition.name.value, ($0.stats, $0.handleTimes)) }, uniquingKeysWith: { a, _ in a })
        queues = definitions.map(QueueEntry.init)
        queueIndex = Dictionary(queues.enumerated().map { ($1.definition.name.value, $0) }, uniquingKeysWith: { a, _ in a })
        for q in queues.indices {
            if let (stats, times) = oldStats[queues[q].definition.name.value] {
                queues[q].stats = stats
                queues[q].handleTimes = times
            }
        }
        for i in agents.indices {
            agents[i].memberships = []
            guard !agents[i].removed else { continue }
            for q in queues.indices {
                guard let tier = queues[q].tiers.firstIndex(where: { reqs in reqs.allSatisfy { (agents[i].skills[$0.skill] ?? 0) >= $0.minimum } })
                else { continue }
                let preferred = queues[q].definition.prefer.filter { (agents[i].skills[$0.skill] ?? 0) >= $0.minimum }.count
                agents[i].memberships.append((q, tier, preferred))
                if agents[i].isStaffed { queues[q].staffed += 1 }
                if agents[i].isWorking { queues[q].working += 1 }
            }
            if agents[i].isFree { insertFree(i) }
        }
        // Callers: back into their queue (by name), same place, and matched afresh.
        var actions: [RouterAction] = []
        let order = callers.sorted { $0.value.key < $1.value.key }
        for (call, var caller) in order {
            guard let name = oldQueueOfCaller[call], let q = queueIndex[name] else { continue }
            caller.queue = q
            caller.tier = min(caller.tier, queues[q].tiers.count - 1)
            callers[call] = caller
            if caller.offered.isEmpty { actions += matchCaller(call, at: now) }
        }
        for (name, i) in agentIndex where !agents[i].removed { _ = name; actions.append(.agentChanged(agents[i].name)) }
        return actions
    }

    // MARK: shared helpers

    /// The strategy's key for agent `i` in queue `q`.
    func freeKey(_ i: Int, queue q: Int, preferred: Int) -> FreeKey {
        let a = agents[i]
        let idle = Self.nanoseconds(a.idleSince)
        switch queues[q].definition.strategy {
        case .longestIdle, .ringAll: return FreeKey(preferred: preferred, primary: idle, secondary: UInt64(i))
        case .fewestCalls: return FreeKey(preferred: preferred, primary: Int64(a.callsTaken), secondary: UInt64(bitPattern: idle))
        case .roundRobin:
            return FreeKey(preferred: preferred, primary: Int64(a.lastOffered[queues[q].definition.name.value] ?? 0), secondary: UInt64(i))
        case .random: return FreeKey(preferred: preferred, primary: 0, secondary: UInt64(i))  // picked by `pickRandom`
        }
    }

    mutating func insertFree(_ i: Int) {
        for m in agents[i].memberships {
            queues[m.queue].free[m.tier].insert(i, key: freeKey(i, queue: m.queue, preferred: m.preferred))
        }
    }

    mutating func removeFree(_ i: Int) {
        for m in agents[i].memberships { queues[m.queue].free[m.tier].remove(i) }
    }

    /// `random`: a uniform pick among the tier's free agents who meet as many preferred
    /// skills as the best of them (a few draws; the heap's head if they all miss).
    mutating func pickRandom(queue q: Int, tier t: Int) -> Int? {
        let heap = queues[q].free[t]
        guard let first = heap.first else { return nil }
        for _ in 0..<16 {
            let candidate = heap.member(at: Int(nextRandom() % UInt64(heap.count)))
            if candidate.key.preferred == first.key.preferred { return candidate.id }
        }
        return first.id
    }

    mutating func nextRandom() -> UInt64 { random.next() }

    static func nanoseconds(_ d: Duration) -> Int64 {
        d.components.seconds * 1_000_000_000 + d.components.attoseconds / 1_000_000_000
    }
}
