/// Where nodes announce themselves (the store, `Store.ReferenceStore`): one row per node,
/// shared by every node on the same store. Called from the runner at start and stop and from
/// the heartbeat's queue; implementations serialise their own access.
public protocol NodeBook: AnyObject, Sendable {
    /// Every node the store knows, live or not.
    func nodes() throws -> [ClusterNode]
    /// `node` is alive, running its plan (inserted, or its row replaced).
    func announce(_ node: ClusterNode) throws
    /// `name` is stopping: its row goes.
    func leave(_ name: String) throws
    /// `node` has `agent` on one of its calls (offered, talking or in wrap-up) since `at`
    /// (Unix milliseconds), or, `engaged` false, no longer. Called from the engagement queue.
    func saveEngagement(agent: String, node: String, engaged: Bool, at: Int64) throws
    /// `node` is about to offer `agent` a call: it takes the agent's row unless another live
    /// node (live as for `engagements`) holds it, in one statement, so two nodes offering one
    /// agent at once give the offer to one. Returns nil when `node` has the agent now, else
    /// the node that does. Called from the engagement queue, for the controller thread.
    func claimEngagement(agent: String, node: String, at: Int64, liveSince: Int64) throws -> String?
    /// `node` is starting: whatever it held before (a crash leaves rows) is not held now.
    func forgetEngagements(of node: String) throws
    /// The agents live nodes other than `except` have on calls, agent → node; a node is live
    /// when last seen at or after `liveSince` (Unix milliseconds) and, on PostgreSQL, while its
    /// session is connected (a killed node's ends at once).
    func engagements(liveSince: Int64, except: String) throws -> [String: String]
    /// What changed in the callers waiting in `node`'s queues: `upsert` joined (or changed),
    /// the calls in `remove` left; one transaction. Called from the waiter publisher's queue.
    func updateWaiters(node: String, upsert: [ClusterWaiter], remove: [String]) throws
    /// `node` is starting or stopping: none of its callers wait.
    func forgetWaiters(of node: String) throws
    /// The callers waiting on live nodes other than `except` (live as for `engagements`),
    /// first in line first.
    func waiters(liveSince: Int64, except: String) throws -> [ClusterWaiter]
}
