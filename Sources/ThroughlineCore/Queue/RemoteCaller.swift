/// A caller waiting on another node of the cluster, on this queue engine's clock: what
/// `QueueRouter.remoteWaitersChanged` puts in line with the callers of this node. The
/// switchboard makes them from the `ClusterWaiter`s the store holds.
public struct RemoteCaller: Sendable, Hashable {
    /// `node/call`: names the caller across the cluster (logs, `heldForAnotherNode`).
    public var id: String
    public var queue: String
    /// When they joined (a call back: when its caller first joined), for skill expansion.
    public var joinedAt: Duration
    /// Their place in line: `joinedAt` less their priority allowance.
    public var rankAt: Duration
    /// Only this agent may take them for now (`last-agent-first`).
    public var agent: String?

    public init(id: String, queue: String, joinedAt: Duration, rankAt: Duration, agent: String? = nil) {
        self.id = id
        self.queue = queue
        self.joinedAt = joinedAt
        self.rankAt = rankAt
        self.agent = agent
    }
}
