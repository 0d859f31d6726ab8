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
}
