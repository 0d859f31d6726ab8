/// Builds the wallboard from what is true now, pure: the plan in force, the callers waiting
/// (when each joined), the agents, today's figures, the last hour and the campaigns' calls.
/// The shell (`WallboardHub`) calls `build` twice a second on its own queue and sends the
/// result to every wallboard whenever it changed.
public enum WallboardBuilder {
    public struct Inputs: Sendable {
        public var plan: Dialplan
        /// Unix milliseconds.
        public var now: Int64
        /// Per queue, when each waiting caller joined (Unix milliseconds).
        public var waiting: [String: [Int64]]
        public var agents: [AgentBody]
        public var today: WallboardToday
        public var history: WallboardHistory
        public var campaignCalls: CampaignCalls
        /// Per queue, its call backs now (pending) and since start.
        public var callbacks: [String: CallbackCounts]

        public init(plan: Dialplan, now: Int64, waiting: [String: [Int64]], agents: [AgentBody], today: WallboardToday,
                    history: WallboardHistory, campaignCalls: CampaignCalls, callbacks: [String: CallbackCounts] = [:]) {
            self.callbacks = callbacks
            self.plan = plan
            self.now = now
            self.waiting = waiting
            self.agents = agents
            self.today = today
            self.history = history
            self.campaignCalls = campaignCalls
        }
    }

    /// A handle time assumed when a department has answered nothing today (`docs/metrics.md`).
    public static let assumedHandleTime: Duration = .seconds(180)

    public static func build(_ inputs: Inputs) -> WallboardBody {
        let plan = inputs.plan, now = inputs.now
        let queueTiles = plan.queues.map { queueTile($0, inputs) }
        let byName = Dictionary(queueTiles.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let departmentTiles = plan.departments.map { d -> WallboardBody.DepartmentTile in
            let queues = plan.queues.filter { $0.department?.value == d.name.value }.map(\.name.value)
            let tiles = queues.compactMap { byName[$0] }
            return WallboardBody.DepartmentTile(
                name: d.name.value, title: d.title, queues: queues, waiting: tiles.reduce(0) { $0 + $1.waiting },
                longestWaitSeconds: tiles.map(\.longestWaitSeconds).max() ?? 0, agents: agentCounts(Set(queues), inputs.agents),
                today: WallboardBody.Today(inputs.today.byDepartment[d.name.value] ?? ReportFigures()),
                colour: tiles.map(\.colour).max() ?? .ok)
        }
        let campaignTiles = plan.campaigns.map { campaignTile($0, inputs, departments: departmentTiles) }
        let history = inputs.history.minutes.map {
            WallboardBody.Sample(at: UTCTimestamp.string(unixMilliseconds: $0.at), peakWaiting: $0.peakWaiting, serviceLevel: $0.serviceLevel)
        }
        return WallboardBody(at: UTCTimestamp.string(unixMilliseconds: now), queues: queueTiles, departments: departmentTiles,
                             campaigns: campaignTiles, lastHour: history, today: WallboardBody.Today(inputs.today.all))
    }

    /// The thresholds in force for `queue`: its own clauses, then the settings', then the
    /// defaults: amber once the longest wait reaches the queue's `service-level` or today's
    /// service level is below 80 %, red at twice the `service-level` or below 60 %.
    public static func thresholds(_ queue: Queue, _ settings: PlanSettings) -> (warn: TileThresholds, alarm: TileThresholds) {
        (queue.warnWhen.over(settings.warnWhen).over(TileThresholds(longestWait: queue.serviceLevel, serviceLevelBelow: 80)),
         queue.alarmWhen.over(settings.alarmWhen).over(TileThresholds(longestWait: queue.serviceLevel * 2, serviceLevelBelow: 60)))
    }

    /// The clauses of `t` a tile meets, in words.
    static func met(_ t: TileThresholds, waiting: Int, longestWait: Int64, serviceLevel: Double?) -> [String] {
        var why: [String] = []
        if let n = t.waiting, waiting >= n { why.append("\(waiting) waiting ≥ \(n)") }
        if let d = t.longestWait, longestWait >= d.wholeMilliseconds / 1000 {
            why.append("longest wait \(longestWait) s ≥ \(d.wholeMilliseconds / 1000) s")
        }
        if let p = t.serviceLevelBelow, let sl = serviceLevel, sl * 100 < Double(p) {
            why.append("service level \(Int((sl * 100).rounded(.down))) % < \(p) %")
        }
        return why
    }

    static func queueTile(_ q: Queue, _ inputs: Inputs) -> WallboardBody.QueueTile {
        let joined = inputs.waiting[q.name.value] ?? []
        let longest = joined.min().map { max(0, inputs.now - $0) / 1000 } ?? 0
        let figures = inputs.today.byQueue[q.name.value] ?? ReportFigures()
        let (warn, alarm) = thresholds(q, inputs.plan.settings)
        let alarmed = met(alarm, waiting: joined.count, longestWait: longest, serviceLevel: figures.serviceLevel)
        let warned = alarmed.isEmpty ? met(warn, waiting: joined.count, longestWait: longest, serviceLevel: figures.serviceLevel) : []
        return WallboardBody.QueueTile(
            name: q.name.value, department: q.department?.value, waiting: joined.count, longestWaitSeconds: Int(longest),
            serviceLevelSeconds: Int(q.serviceLevel.wholeMilliseconds / 1000), agents: agentCounts([q.name.value], inputs.agents),
            today: WallboardBody.Today(figures), colour: !alarmed.isEmpty ? .alarm : (!warned.isEmpty ? .warn : .ok), why: alarmed + warned,
            callbacks: inputs.callbacks[q.name.value] ?? CallbackCounts())
    }

    /// Agents serving any of `queues`, each counted once.
    static func agentCounts(_ queues: Set<String>, _ agents: [AgentBody]) -> WallboardBody.AgentCounts {
        var counts = WallboardBody.AgentCounts()
        for a in agents where a.status != "logged-out" && a.queues.contains(where: queues.contains) {
            switch a.state {
            case "offered": counts.ringing += 1
            case "talking": counts.talking += 1
            case "wrap-up": counts.wrapUp += 1
            default: if a.status == "paused" { counts.paused += 1 } else { counts.available += 1 }
            }
        }
        return counts
    }

    static func campaignTile(_ c: Campaign, _ inputs: Inputs, departments: [WallboardBody.DepartmentTile]) -> WallboardBody.CampaignTile {
        let phase = c.phase(at: inputs.now)
        var warning: String?
        if phase == .running, let d = c.department.flatMap({ name in departments.first { $0.name == name.value } }) {
            let capacity = answerable(d, inputs)
            if d.waiting > capacity.callers {
                let staffed = d.agents.staffed
                warning = "\(d.waiting) waiting in \(d.title); \(staffed) staffed agent\(staffed == 1 ? "" : "s") can answer about \(capacity.callers) within \(capacity.serviceLevel) s"
            }
        }
        return WallboardBody.CampaignTile(
            name: c.name.value, title: c.title, department: c.department?.value, phase: phase.rawValue,
            starts: c.starts.map { UTCTimestamp.string(unixMilliseconds: $0.value) }, ends: c.ends.map { UTCTimestamp.string(unixMilliseconds: $0.value) },
            expectedPerHour: c.expectedPerHour, callsLastHour: inputs.campaignCalls.lastHour(c.name.value, now: inputs.now),
            perMinute: inputs.campaignCalls.series(c.name.value, now: inputs.now), warning: warning)
    }

    /// How many waiting callers a department's staffed agents can answer within its service
    /// level: the agents free now, plus each busy (ringing, talking, wrap-up) agent's chance of coming free within it
    /// (service level ÷ handle time, at most 1), the handle time being today's average talk
    /// plus the queue's wrap-up (`assumedHandleTime` with no conversation yet today).
    static func answerable(_ d: WallboardBody.DepartmentTile, _ inputs: Inputs) -> (callers: Int, serviceLevel: Int) {
        let queues = inputs.plan.queues.filter { $0.department?.value == d.name }
        let serviceLevel = queues.map(\.serviceLevel).min() ?? .seconds(20)
        let wrapUp = queues.map(\.wrapUp).max() ?? .zero
        let f = inputs.today.byDepartment[d.name] ?? ReportFigures()
        let conversations = f.completedByCaller + f.completedByAgent + f.transferred
        let handle = (conversations > 0 ? f.talk / conversations : assumedHandleTime) + wrapUp
        let share = min(1, Double(serviceLevel.wholeMilliseconds) / Double(max(1, handle.wholeMilliseconds)))
        let busy = d.agents.ringing + d.agents.talking + d.agents.wrapUp
        return (d.agents.available + Int((Double(busy) * share).rounded(.down)), Int(serviceLevel.wholeMilliseconds / 1000))
    }
}
