import Controller
import Foundation
import Store
import ThroughlineCore

/// Joining the nodes that share a PostgreSQL store, at start.
extension Runner {
    /// The node's name among those sharing its store: the SIP address it listens on, with
    /// the host's name in place of a wildcard address (two machines both on 0.0.0.0:5060 are
    /// two nodes).
    static func nodeName(_ bound: HostPort) -> String {
        guard bound.host == "0.0.0.0" || bound.host == "::" else { return bound.description }
        return HostPort(host: ProcessInfo.processInfo.hostName, port: bound.port).description
    }

    /// Compares this node's plan with the live nodes' (`ClusterMembership.joinRefusal`) and, if
    /// it may join, announces it. Returns false when it is refused: logged as
    /// `startup.failed why="the cluster runs another plan"` with both hashes, and the runner
    /// exits 78 before taking a call. A store that cannot answer does not stop the start (the
    /// node runs on what it knows, as with any store failure) and is logged.
    static func join(_ store: ReferenceStore, name: String, planHash: String, logger: Logger) -> Bool {
        do {
            let now = Date().unixMilliseconds
            if let refusal = ClusterMembership.joinRefusal(name: name, planHash: planHash, nodes: try store.nodes(), now: now) {
                logger.log(.error, "startup.failed", [("why", "the cluster runs another plan"), ("node", name), ("plan_hash", planHash),
                                                      ("cluster_plan_hash", Set(refusal.others.map(\.planHash)).sorted().joined(separator: ",")),
                                                      ("detail", refusal.description)])
                return false
            }
            try store.announce(ClusterNode(name: name, planHash: planHash, seenAt: now))
        } catch {
            logger.log(.error, "node.heartbeat-failed", [("node", name), ("error", "\(error)"), ("why", "the plan could not be compared with other nodes'")])
        }
        return true
    }
}
