/// The rules of joining a cluster (nodes sharing one store), pure: the runner asks the store
/// for the nodes it knows and applies these with the time as a parameter.
public enum ClusterMembership {
    /// How often a node says it is alive.
    public static let heartbeat: Duration = .seconds(2)
    /// A node not heard from for this long is gone (killed, or its host down): it no longer
    /// counts. Five heartbeats, so a slow store does not make a live node look dead.
    public static let liveFor: Duration = .seconds(10)
    /// How long after a node's last heartbeat the agents it had on calls are still its: three
    /// missed beats. Shorter than `liveFor`, so agents talking on a node that was killed are
    /// offered by the others within 10 s of the kill (this plus one read of the store, 2 s);
    /// a live node whose beats stall that long may see an agent offered a second call.
    public static let engagementsLiveFor: Duration = .seconds(6)

    /// Why a node may not join: other live nodes run a different plan. Every node of a
    /// contact centre must route calls alike, or a caller's path depends on which node a
    /// proxy picked.
    public struct Refusal: Equatable, Sendable, CustomStringConvertible {
        /// This node's plan hash.
        public var planHash: String
        /// The live nodes whose plan differs, by name, with their hashes.
        public var others: [ClusterNode]

        public var description: String {
            let hashes = Dictionary(grouping: others, by: \.planHash).sorted { $0.key < $1.key }
                .map { hash, nodes in "\(hash) (\(nodes.map(\.name).sorted().joined(separator: ", ")))" }
            return "the cluster runs plan \(hashes.joined(separator: " and ")); this node's plan is \(planHash)"
        }
    }

    /// The live nodes other than `name` (seen within `liveFor` of `now`, Unix ms).
    public static func live(_ nodes: [ClusterNode], except name: String, now: Int64) -> [ClusterNode] {
        let horizon = now - Int64(liveFor.components.seconds * 1000)
        return nodes.filter { $0.name != name && $0.seenAt >= horizon }
    }

    /// Whether `name`, running `planHash`, may join the cluster that `nodes` describe. A node
    /// restarting under its own name is not compared with its old self; nodes gone quiet are
    /// not compared at all (a cluster whose every node stopped takes any plan).
    public static func joinRefusal(name: String, planHash: String, nodes: [ClusterNode], now: Int64) -> Refusal? {
        let differing = live(nodes, except: name, now: now).filter { $0.planHash != planHash }
        return differing.isEmpty ? nil : Refusal(planHash: planHash, others: differing.sorted { $0.name < $1.name })
    }
}
