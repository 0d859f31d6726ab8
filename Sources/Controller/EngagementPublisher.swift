import Foundation
import ThroughlineCore

/// Writes which agents this node has on its calls (offered, talking, wrap-up) to the shared
/// store, so the other nodes do not offer them meanwhile (`SharedAgentWatch` reads it there).
/// The controller calls `publish` on its thread at each change; the write runs on this
/// publisher's serial queue, in order, so a store round trip never holds a call.
/// A failed write is logged (once until one succeeds) and not retried: the agent's next change
/// writes again, and a node that is not live any more holds nobody.
public final class EngagementPublisher: @unchecked Sendable {
    private let book: NodeBook
    private let node: String
    private let logger: Logger
    private let queue = DispatchQueue(label: "throughline.engagements")
    /// Whether the last write failed; touched on `queue` only.
    private var failing = false

    /// `node` is this node's name in the store. Forgets what a previous run under the same name
    /// left (a crash leaves rows). Called by the runner, before the first call.
    public init(book: NodeBook, node: String, logger: Logger) {
        self.book = book
        self.node = node
        self.logger = logger
        do {
            try book.forgetEngagements(of: node)
        } catch {
            logger.log(.error, "agents.engagement-failed", [("error", "\(error)")])
        }
    }

    /// `agent` is now on one of this node's calls (`engaged`), or free of them. Called on the
    /// controller thread; returns at once.
    public func publish(agent: String, engaged: Bool) {
        let at = Date().unixMilliseconds
        queue.async { [self] in
            do {
                try book.saveEngagement(agent: agent, node: node, engaged: engaged, at: at)
                if failing { logger.log(.info, "agents.engagement-resumed", []) }
                failing = false
            } catch {
                if !failing { logger.log(.error, "agents.engagement-failed", [("agent", agent), ("error", "\(error)")]) }
                failing = true
            }
        }
    }

    /// Waits for the writes queued so far. Called by the runner at shutdown.
    public func drain() { queue.sync {} }
}
