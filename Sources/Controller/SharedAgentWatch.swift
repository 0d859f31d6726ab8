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
    private let lock = NSLock()
    /// How long `readSoon` waits, so a burst of another node's changes costs one read (at
    /// most 40 reads a second).
    public static let coalescing: DispatchTimeInterval = .milliseconds(25)

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
    /// changed (not the call backs, which keep the 2 s pace) on the watch's queue in a moment,
    /// once for all the changes heard meanwhile. Called on the listener's thread; returns at once.
    public func readSoon(_ changes: Set<SharedChange>) {
        guard let queue = timer?.queue else { return }
        let first = lock.withLock { () -> Bool in
            defer { soon.formUnion(changes) }
            return soon.isEmpty
        }
        guard first else { return }
        queue.asyncAfter(deadline: .now() + Self.coalescing) { [self] in
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
        let readAt = clock()
        do {
            let liveSince = Date().unixMilliseconds - Int64(ClusterMembership.engagementsLiveFor.components.seconds * 1000)
            let waiting = changes.contains(.line) ? try nodes.waiters(liveSince: liveSince, except: node) : nil
            let engaged = changes.contains(.agents) ? try nodes.engagements(liveSince: liveSince, except: node) : nil
            let state = changes.contains(.agents) ? try book.savedAgentState() : nil
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
