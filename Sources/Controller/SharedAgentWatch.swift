import Foundation
import ThroughlineCore

/// Reads agents' status and registrations from the shared store every
/// `ClusterMembership.heartbeat` on its own queue (never the controller thread) and hands them
/// to the controller loop (`ControllerInput.sharedAgentState`), which applies what other nodes
/// changed: a pause on node A holds on node B within about 2 s, and a phone registered through
/// any node is rung by every node. Started by the runner for a PostgreSQL store only.
public final class SharedAgentWatch: @unchecked Sendable {
    private let book: AgentStateBook
    private let inputs: EventQueue<ControllerInput>
    private let logger: Logger
    private let clock: @Sendable () -> UInt64
    private var timer: RepeatingTimer?
    /// Whether the last read failed, so a lost store is logged once, not every 2 s.
    private var failing = false

    /// `clock` is the controller's (the default is the controller's default).
    public init(book: AgentStateBook, inputs: EventQueue<ControllerInput>, logger: Logger,
                clock: @escaping @Sendable () -> UInt64 = { DispatchTime.now().uptimeNanoseconds }) {
        self.book = book
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

    /// One read. Called on the watch's queue.
    func read() {
        let readAt = clock()
        do {
            let state = try book.savedAgentState()
            inputs.post(.sharedAgentState(state, readAt: readAt))
            if failing { logger.log(.info, "agents.shared-read-resumed", []) }
            failing = false
        } catch {
            if !failing { logger.log(.error, "agents.shared-read-failed", [("error", "\(error)")]) }
            failing = true
        }
    }
}
