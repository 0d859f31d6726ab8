import Foundation
import ThroughlineCore

/// Writes which agents this node has on its calls (offered, talking, wrap-up) to the shared
/// store, so the other nodes do not offer them meanwhile (`SharedAgentWatch` reads it there).
/// The controller calls `publish` on its thread at each change; the write runs on this
/// publisher's serial queue, in order, so a store round trip never holds a call.
/// A failed write is logged (once until one succeeds); the next `resyncIfFailing` (after a read
/// of the store succeeded) writes this node's whole set again, so a store that comes back
/// never keeps an agent this node has freed.
public final class EngagementPublisher: @unchecked Sendable {
    private let book: NodeBook
    private let node: String
    private let logger: Logger
    private let queue = DispatchQueue(label: "throughline.engagements")
    /// Whether the last write failed; touched on `queue` only.
    private var failing = false
    /// The agents this node has on calls, as published so far; touched on `queue` only.
    private var engaged: Set<String> = []

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
            if engaged { self.engaged.insert(agent) } else { self.engaged.remove(agent) }
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

    /// Takes `agent` for an offer this node is about to make, unless another live node has
    /// them: nil when the offer may go, else the node that has them. Runs on this publisher's
    /// queue, after the writes queued before it (a free of the agent queued a moment ago is
    /// written first), and waits for it: one store round trip on the controller thread for
    /// each agent INVITE. A store that cannot answer lets the offer go (a node routes on what
    /// it knows while the store is lost). Called on the controller thread.
    public func claim(agent: String) -> String? {
        let at = Date().unixMilliseconds
        let liveSince = at - Int64(ClusterMembership.engagementsLiveFor.components.seconds * 1000)
        return queue.sync { () -> String? in
            do {
                let holder = try book.claimEngagement(agent: agent, node: node, at: at, liveSince: liveSince)
                if holder == nil { engaged.insert(agent) }
                if failing { logger.log(.info, "agents.engagement-resumed", []) }
                failing = false
                return holder
            } catch {
                if !failing { logger.log(.error, "agents.engagement-failed", [("agent", agent), ("error", "\(error)")]) }
                failing = true
                return nil
            }
        }
    }

    /// After a failed write, writes this node's set again: its old rows go, the agents it has
    /// now are written. Nothing when no write failed. Called on the controller thread when a
    /// read of the shared store succeeded; returns at once.
    public func resyncIfFailing() {
        let at = Date().unixMilliseconds
        queue.async { [self] in
            guard failing else { return }
            do {
                try book.forgetEngagements(of: node)
                for agent in engaged.sorted() { try book.saveEngagement(agent: agent, node: node, engaged: true, at: at) }
                failing = false
                logger.log(.info, "agents.engagement-resumed", [("engaged", String(engaged.count))])
            } catch {}  // still failing: logged once already
        }
    }

    /// Waits for the writes queued so far. Called by the runner at shutdown.
    public func drain() { queue.sync {} }
}
