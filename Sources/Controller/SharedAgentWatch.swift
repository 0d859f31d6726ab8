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
    /// A read asked for by `readSoon` is waiting to run; under `lock`.
    private var soon = false
    private let lock = NSLock()
    /// How long `readSoon` waits, so a burst of another node's changes costs one read.
    public static let coalescing: DispatchTimeInterval = .milliseconds(10)

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

    /// Another node changed the line or its agents (`StoreListener` heard it): reads them
    /// (not the call backs, which keep the 2 s pace) on the watch's queue in a moment, once
    /// for all the changes heard meanwhile. Called on the listener's thread; returns at once.
    public func readSoon() {
        guard let queue = timer?.queue else { return }
        let first = lock.withLock { () -> Bool in
            defer { soon = true }
            return !soon
        }
        guard first else { return }
        queue.asyncAfter(deadline: .now() + Self.coalescing) { [self] in
            lock.withLock { soon = false }
            read(callbacks: false)
        }
    }

    /// One read: the line, the agents on calls, the agents' status and registrations and,
    /// with `callbacks`, the call backs to take over. Called on the watch's queue (the timer's
    /// reads and `readSoon`'s), so the inputs it posts are in the order of the reads.
    func read(callbacks adopt: Bool = true) {
        let readAt = clock()
        do {
            let liveSince = Date().unixMilliseconds - Int64(ClusterMembership.engagementsLiveFor.components.seconds * 1000)
            let waiting = try nodes.waiters(liveSince: liveSince, except: node)
            let engaged = try nodes.engagements(liveSince: liveSince, except: node)
            let state = try book.savedAgentState()
            // The line first: an agent made available on another node is then weighed
            // against that node's callers, not offered ahead of them.
            inputs.post(.sharedWaiters(waiting))
            inputs.post(.sharedEngagements(engaged))
            inputs.post(.sharedAgentState(state, readAt: readAt))
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
