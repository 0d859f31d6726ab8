/// One line across the nodes of a cluster. Each node's engine routes the callers it holds
/// (their media and their call are there), but puts them in line with the callers the other
/// nodes hold: an agent coming free here is offered this node's longest-waiting caller only
/// if no caller waiting on another node, that the agent can serve, has waited longer; if one
/// has, the agent is held (`heldFor`) and that node, seeing the agent free, offers them its
/// caller. Every node applies the same rules (one plan, checked at joining) to the same line,
/// so they agree on who is first, up to how fresh their copy of the other nodes' callers is.
extension QueueRouter {
    /// A caller waiting here, as the other nodes need to see them.
    public struct LocalWaiter: Sendable, Equatable {
        public var call: CallHandle
        public var queue: String
        public var joinedAt: Duration
        public var rankAt: Duration
        public var agent: String?
    }

    /// The callers waiting here and not being offered, first in line first. O(callers):
    /// called by the shell only when `waitingGeneration` moved and the last copy is written.
    public var localWaiters: [LocalWaiter] {
        callers.filter { $0.value.offered.isEmpty }
            .sorted { $0.value.key < $1.value.key }
            .map { call, caller in
                LocalWaiter(call: call, queue: queues[caller.queue].definition.name.value, joinedAt: caller.joinedAt,
                            rankAt: caller.key.effectiveArrival, agent: caller.preferred.map { agents[$0].name })
            }
    }

    /// The callers waiting on the other live nodes are now `waiters` (every one, replacing
    /// the last set). Every agent free or held here is decided again: held for the first of
    /// them they can serve if that one has waited longer than anyone here they can serve,
    /// else offered to this node's first, else free. Called by the switchboard when a read of
    /// the shared store found the set changed.
    public mutating func remoteWaitersChanged(_ waiters: [RemoteCaller], at now: Duration) -> [RouterAction] {
        remote = Dictionary(grouping: waiters, by: \.queue).mapValues { $0.sorted { ($0.rankAt, $0.id) < ($1.rankAt, $1.id) } }
        var actions: [RouterAction] = []
        for i in agents.indices where !agents[i].removed {
            let held = agents[i].heldFor
            guard held != nil || agents[i].isFree else { continue }
            if held == nil { removeFree(i) }
            agents[i].heldFor = nil
            let decided = agentFreed(i, at: now)
            if agents[i].heldFor == held {
                actions += decided.filter { if case .heldForAnotherNode = $0 { false } else { true } }
            } else {
                if agents[i].heldFor == nil { actions.append(.heldForAnotherNode(agent: agents[i].name, caller: nil)) }
                actions += decided + [.agentChanged(agents[i].name)]
            }
        }
        return actions
    }

    /// How many callers the other nodes have waiting (the wallboard's and the API's figure is
    /// this node's own).
    public var remoteWaitingCount: Int { remote.values.reduce(0) { $0 + $1.count } }

    /// The first caller waiting on another node that agent `i` can serve now: in one of their
    /// queues at a tier that admits them (the caller's expansion reached by `now`), or waiting
    /// for them by name.
    func bestRemote(for i: Int, at now: Duration) -> RemoteCaller? {
        guard !remote.isEmpty else { return nil }
        var best: RemoteCaller?
        for m in agents[i].memberships {
            let definition = queues[m.queue].definition
            guard let line = remote[definition.name.value] else { continue }
            for caller in line {
                if let agent = caller.agent {
                    guard agent == agents[i].name else { continue }
                } else {
                    let tier = definition.expansions.lastIndex { $0.after <= now - caller.joinedAt }.map { $0 + 1 } ?? 0
                    guard m.tier <= tier else { continue }
                }
                if best.map({ caller.rankAt < $0.rankAt }) ?? true { best = caller }
                break  // the line is in order: the first this agent can serve is its best here
            }
        }
        return best
    }
}
