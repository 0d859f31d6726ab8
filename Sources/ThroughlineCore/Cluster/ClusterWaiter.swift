/// A caller waiting in a queue on one node of a cluster, as that node writes it to the shared
/// store for the others (`NodeBook.saveWaiters`): enough for every node's queue engine to put
/// them in one line with its own callers. Times are wall-clock Unix milliseconds, so nodes
/// with different start times (and the same clock, to NTP's precision) compare them.
public struct ClusterWaiter: Sendable, Hashable {
    /// The node holding the call (its name in `node`).
    public var node: String
    /// The call on that node (its `CallHandle`, as text): with `node`, names the waiter.
    public var call: String
    public var queue: String
    /// When the caller joined the queue (a call back: when its caller first joined).
    public var joinedAt: Int64
    /// Their place in line: `joinedAt` less the priority allowance (`priority-weight`).
    public var rankAt: Int64
    /// A repeat caller waiting for their last agent (`last-agent-first`): only that agent
    /// may take them until the preference ends.
    public var agent: String?

    public init(node: String, call: String, queue: String, joinedAt: Int64, rankAt: Int64, agent: String? = nil) {
        self.node = node
        self.call = call
        self.queue = queue
        self.joinedAt = joinedAt
        self.rankAt = rankAt
        self.agent = agent
    }
}
