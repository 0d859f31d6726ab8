import Foundation
import ThroughlineCore

/// Says in the shared store that this node is alive and which plan it runs, every
/// `ClusterMembership.heartbeat` on its own queue (never the controller thread); the plan is
/// read from the status board, so a reload is announced at the next beat. At a clean stop the
/// node's row goes; a node killed stops beating and is gone for the others after
/// `ClusterMembership.liveFor`.
public final class NodeHeartbeat: @unchecked Sendable {
    private let book: NodeBook
    private let name: String
    private let board: StatusBoard
    private let logger: Logger
    private var timer: RepeatingTimer?
    /// Whether the last beat failed, so a lost store is logged once, not every 2 s.
    private var failing = false

    public init(book: NodeBook, name: String, board: StatusBoard, logger: Logger) {
        self.book = book
        self.name = name
        self.board = board
        self.logger = logger
    }

    /// Starts the beats (the first at once). Called once, by the runner.
    public func start() {
        let interval = DispatchTimeInterval.milliseconds(Int(ClusterMembership.heartbeat.components.seconds * 1000))
        timer = RepeatingTimer(label: "throughline.node-heartbeat", interval: interval) { [weak self] in self?.beat(at: Date().unixMilliseconds) }
        timer?.start()
    }

    /// Stops the beats and removes the node's row. Called once, by the runner, at shutdown.
    public func stop() {
        timer?.stop()
        timer?.queue.sync {}
        try? book.leave(name)
    }

    /// One beat at `now` (Unix ms). Called on the heartbeat's queue.
    func beat(at now: Int64) {
        guard let hash = board.planHash else { return }
        do {
            try book.announce(ClusterNode(name: name, planHash: hash, seenAt: now))
            if failing { logger.log(.info, "node.heartbeat-resumed", [("node", name)]) }
            failing = false
        } catch {
            if !failing { logger.log(.error, "node.heartbeat-failed", [("node", name), ("error", "\(error)")]) }
            failing = true
        }
    }
}
