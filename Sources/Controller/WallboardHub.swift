import Foundation
import ThroughlineCore

/// The supervisors' wallboard, kept off the controller thread: the controller hands over each
/// recorded queue event and each campaign call (a lock and an append), and a timer of its own
/// builds the board twice a second from the status board (`WallboardBuilder`, pure) and sends
/// it to every connected wallboard when it changed: within half a second of an event, and
/// every second while a caller waits (their wait grows). Today's figures are seeded from the
/// store at start, so a restart shows what the report shows.
public final class WallboardHub: @unchecked Sendable {
    /// How often the board is built.
    public static let interval: DispatchTimeInterval = .milliseconds(500)
    /// At most this many unsent boards per wallboard (each replaces the one before anyway).
    static let bufferLimit = 8

    private let board: StatusBoard
    private let clock: @Sendable () -> Int64
    /// Builds the board every `interval`; its queue is where every build runs.
    private var timer: RepeatingTimer!
    private var queue: DispatchQueue { timer.queue }
    private let lock = NSLock()
    private var today: WallboardToday
    /// Events handed over by the controller, added to `today` at the next build.
    private var pending: [RecordedQueueEvent] = []
    private var history = WallboardHistory()
    private var campaignCalls = CampaignCalls()
    private var subscriptions: [StreamSubscription] = []
    /// The last board built and its frame, sent to a wallboard as it connects.
    private var last: (body: WallboardBody, frame: String)?
    private var nextID = 0

    /// `clock`: Unix milliseconds (tests may pass their own).
    public init(board: StatusBoard, clock: @escaping @Sendable () -> Int64 = { Date().unixMilliseconds }) {
        self.board = board
        self.clock = clock
        today = WallboardToday(now: clock())
        timer = RepeatingTimer(label: "throughline.wallboard", interval: Self.interval) { [weak self] in self?.refresh() }
    }

    /// Adds today's events recorded before this start. Called once by the runner, before
    /// `start`; a store that cannot be read leaves the figures at zero and says so in the log.
    public func seed(from book: QueueEventBook, logger: Logger) {
        let now = clock()
        let day = WallboardToday.dayStart(now)
        do {
            let byQueue = try book.queueEventTotals(from: day, to: now + 1, by: .queue, interval: nil)
            let byDepartment = try book.queueEventTotals(from: day, to: now + 1, by: .department, interval: nil)
            lock.withLock { today.seed(byQueue: byQueue, byDepartment: byDepartment) }
        } catch {
            logger.log(.error, "wallboard.failed", [("why", "today's figures could not be read from the store"), ("error", "\(error)")])
        }
    }

    /// A recorded queue event (the same one the recorder writes). Called on the controller
    /// thread: an append; the figures are summed at the next build, on the hub's queue.
    public func record(_ record: QueueRecord, at: Int64) {
        lock.withLock { pending.append(RecordedQueueEvent(at: at, record: record)) }
    }

    /// A call arrived by one of `campaign`'s routes. Called on the controller thread.
    public func campaignCall(_ campaign: String, at: Int64) {
        lock.withLock { campaignCalls.arrived(campaign: campaign, at: at) }
    }

    /// Builds the board every `interval`. Called once, by the runner.
    public func start() { timer.start() }

    public func stop() {
        timer.stop()
        let all = lock.withLock { subscriptions }
        all.forEach { $0.finish() }
    }

    /// The board now. Called on HTTP threads (`GET /api/wallboard`).
    public func current() -> WallboardBody { queue.sync { build() } }

    /// A wallboard connects: it gets the board at once, then each change. Called on an HTTP thread.
    public func subscribe() -> EventStream {
        let subscription = StreamSubscription(key: "", limit: Self.bufferLimit) { [weak self] gone in
            self?.lock.withLock { self?.subscriptions.removeAll { $0 === gone } }
        }
        let frame = queue.sync { () -> String in
            if let last { return last.frame }
            let body = build()
            let frame = self.frame(body)
            lock.withLock { last = (body, frame) }
            return frame
        }
        lock.withLock { subscriptions.append(subscription) }
        subscription.push(frame)
        return subscription
    }

    /// Builds the board and sends it when it changed. On the hub's queue.
    func refresh() {
        let body = build()
        // The build time always moves; what is on the board may not.
        let (changed, targets): (Bool, [StreamSubscription]) = lock.withLock {
            var before = last?.body
            before?.at = body.at
            return (before != body, subscriptions)
        }
        guard changed else { return }
        let frame = frame(body)
        lock.withLock { last = (body, frame) }
        for s in targets { s.push(frame) }
    }

    /// On the hub's queue: samples the hour's chart, then builds from the status board.
    private func build() -> WallboardBody {
        let now = clock()
        let queues = board.queueList
        let waiting = queues.reduce(into: [String: [Int64]]()) { table, q in
            table[q.name] = q.waiting.values.map(\.unixMilliseconds)
        }
        let callbacks = queues.reduce(into: [String: CallbackCounts]()) { table, q in table[q.name] = q.callbacks }
        let agents = board.agentList
        let plan = board.planInForce ?? Dialplan()
        let inputs: WallboardBuilder.Inputs = lock.withLock {
            pending.forEach { today.add($0) }
            pending.removeAll(keepingCapacity: true)
            today.roll(to: now)
            history.sample(at: now, waiting: waiting.values.reduce(0) { $0 + $1.count }, serviceLevel: today.all.serviceLevel)
            return WallboardBuilder.Inputs(plan: plan, now: now, waiting: waiting, agents: agents, today: today, history: history,
                                           campaignCalls: campaignCalls, callbacks: callbacks)
        }
        return WallboardBuilder.build(inputs)
    }

    /// `event: board`, `id: N`, one `data:` line of JSON, blank line.
    private func frame(_ body: WallboardBody) -> String {
        let id = lock.withLock { nextID += 1; return nextID }
        return "event: board\nid: \(id)\ndata: \(String(decoding: WireJSON.compact(body), as: UTF8.self))\n\n"
    }
}
