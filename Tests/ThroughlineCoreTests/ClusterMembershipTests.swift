import Testing
import ThroughlineCore

/// Joining the nodes that share a store: a plan that differs from a live node's is refused,
/// with both hashes; a node gone quiet, or the same node restarting, is not compared.
@Suite("Cluster membership")
struct ClusterMembershipTests {
    let now: Int64 = 1_800_000_000_000

    @Test func aNodeRunningThePlanOfEveryLiveNodeJoins() {
        let nodes = [ClusterNode(name: "10.0.0.1:5060", planHash: "aaaa", seenAt: now - 1_000),
                     ClusterNode(name: "10.0.0.2:5060", planHash: "aaaa", seenAt: now - 9_999)]
        #expect(ClusterMembership.joinRefusal(name: "10.0.0.3:5060", planHash: "aaaa", nodes: nodes, now: now) == nil)
        #expect(ClusterMembership.joinRefusal(name: "10.0.0.3:5060", planHash: "bbbb", nodes: [], now: now) == nil)
    }

    @Test func aDifferentPlanIsRefusedNamingBothHashesAndTheNodes() throws {
        let nodes = [ClusterNode(name: "10.0.0.2:5060", planHash: "aaaa", seenAt: now - 2_000),
                     ClusterNode(name: "10.0.0.1:5060", planHash: "aaaa", seenAt: now - 500),
                     ClusterNode(name: "10.0.0.4:5060", planHash: "bbbb", seenAt: now - 500)]
        let refusal = try #require(ClusterMembership.joinRefusal(name: "10.0.0.3:5060", planHash: "bbbb", nodes: nodes, now: now))
        #expect(refusal.others.map(\.name) == ["10.0.0.1:5060", "10.0.0.2:5060"])
        #expect(refusal.description == "the cluster runs plan aaaa (10.0.0.1:5060, 10.0.0.2:5060); this node's plan is bbbb")
    }

    @Test func quietNodesAndTheNodesOwnOldRowAreNotCompared() {
        let nodes = [ClusterNode(name: "10.0.0.1:5060", planHash: "aaaa", seenAt: now - 10_001),  // killed 10 s ago
                     ClusterNode(name: "10.0.0.3:5060", planHash: "aaaa", seenAt: now - 100)]     // itself, before a restart
        #expect(ClusterMembership.joinRefusal(name: "10.0.0.3:5060", planHash: "bbbb", nodes: nodes, now: now) == nil)
        #expect(ClusterMembership.live(nodes, except: "10.0.0.9:5060", now: now).map(\.name) == ["10.0.0.3:5060"])
    }
}
