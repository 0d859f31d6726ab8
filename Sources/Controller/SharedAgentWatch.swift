import Foundation
import ThroughlineCore

/// Reads agents' status and registrations from the shared store every
/// `ClusterMembership.heartbeat` on its own queue (never the controller thread) and hands them
/// to the controller loop (`ControllerInput.sharedAgentState`), which applies what other nodes
/// changed: a pause on node A holds on node B within about 2 s, and a phone registered through
/// any node is rung by every node. It also reads which agents the other live nodes have on
/// calls (`EngagementPublisher` writes them), so none is offered here meanwhile, and takes over
/// the pending call backs of nodes no longer live (not heard from for 10 s), which this node
/// then places. Started by the runner for a PostgreSQL store only.
public final class SharedAgentWatch: @unchecked Sendable {
    private let book: AgentStateBook
    /// Where the nodes and their agents on calls are, and this node's name there.
    private let nodes: NodeBook
    private let node: String
    /// Where call backs are kept; a node no longer live leaves its pending ones to be taken.
    private let callbacks: CallbackStore?
    private let inputs: EventQueue<ControllerInput>
    private let logger: Logger
    private let clock: @Sendable () -> UInt64
    private var timer: RepeatingTimer?
    /// Whether the last read failed, so a lost store is logged once, not every 2 s.
    private var failing = false
    /// What the read `readSoon` asked for will read (empty: none is waiting to run); under `lock`.
    private var soon: Set<SharedChange> = []
    /// When the last read began; under `lock`.
    private var lastRead = DispatchTime(uptimeNanoseconds: 0)
    private let lock = NSLock()
    /// The least time from one read's start to a read `readSoon` asks for: the first change
    /// after a quiet spell is read at once, and a burst of another node's changes costs one
    /// read per spacing (at most 40 reads a second).
    public static let spacing: DispatchTimeInterval = .milliseconds(25)

    /// `clock` is the controller's (the default is the controller's default).
    public init(book: AgentStateBook, nodes: NodeBook, node: String, callbacks: CallbackStore? = nil, inputs: EventQueue<ControllerInput>,
                logger: Logger, clock: @escaping @Sendable () -> UInt64 = { DispatchTime.now().uptimeNanoseconds }) {
        self.book = book
        self.nodes = nodes
        self.node = node
        self.callbacks = callbacks
        self.inputs = inputs
        self.logger = logger
        self.clock = clock
    }

    /// Starts the reads. Called once, by the runner.
    public func start() {
        let interval = DispatchTimeInterval.milliseconds(Int(ClusterMembership.heartbeat.components.seconds * 1000))
        timer = RepeatingTimer(label: "throughline.shared-agents", interval: interval) { [weak self] in self?.read() }
        timer?.start()
    }

    public func stop() { timer?.stop() }

    /// Another node changed the line or its agents (`StoreListener` heard it): reads what
    /// changed (not the call backs, which keep the 2 s pace) on the watch's queue, at once
    /// when no read began in the last `spacing`, else when it has passed, once for all the
    /// changes heard meanwhile. Called on the listener's thread; returns at once.
    public func readSoon(_ changes: Set<SharedChange>) {
        guard let queue = timer?.queue else { return }
        let due = lock.withLock { () -> DispatchTime? in
            defer { soon.formUnion(changes) }
            return soon.isEmpty ? lastRead + Self.spacing : nil
        }
        guard let due else { return }  // a read is waiting to run: it reads these too
        queue.asyncAfter(deadline: max(due, .now())) { [self] in
            let changes = lock.withLock { () -> Set<SharedChange> in
                defer { soon = [] }
                return soon
            }
            read(changes, callbacks: false)
        }
    }

    /// One read: the line, the agents (on calls, their status and registrations) or both and,
    /// with `callbacks`, the call backs to take over. Called on the watch's queue (the timer's
    /// reads and `readSoon`'s), so the inputs it posts are in the order of the reads.
    func read(_ changes: Set<SharedChange> = Set(SharedChange.allCases), callbacks adopt: Bool = true) {
        lock.withLock { lastRead = .now() }
        let readAt = clock()
        do {
            let liveSince = Date().unixMilliseconds - Int64(ClusterMembership.engagementsLiveFor.components.seconds * 1000)
            // The agents before the line: a node releases an agent only once its line is
            // written (`CallController.publishEngagement`), so the line read after a release
            // has the caller who went back into line as the agent came free. Read the other
            // way round, the line could predate the release: the agent free here, that
            // caller missing, and a newer caller of this node's offered to her.
            let engaged = changes.contains(.agents) ? try nodes.engagements(liveSince: liveSince, except: node) : nil
            let state = changes.contains(.agents) ? try book.savedAgentState() : nil
            let waiting = changes.contains(.line) ? try nodes.waiters(liveSince: liveSince, except: node) : nil
            // The line first: an agent made available on another node is then weighed
            // against that node's callers, not offered ahead of them.
            if let waiting { inputs.post(.sharedWaiters(waiting)) }
            if let engaged { inputs.post(.sharedEngagements(engaged)) }
            if let state { inputs.post(.sharedAgentState(state, readAt: readAt)) }
            let deadSince = Date().unixMilliseconds - Int64(ClusterMembership.liveFor.components.seconds * 1000)
            if adopt, let adopted = try callbacks?.adoptCallbacks(liveSince: deadSince), !adopted.isEmpty {
                inputs.post(.callbacksAdopted(adopted))
            }
            if failing { logger.log(.info, "agents.shared-read-resumed", []) }
            failing = false
        } catch {
            if !failing { logger.log(.error, "agents.shared-read-failed", [("error", "\(error)")]) }
            failing = true
        }
    }
}
