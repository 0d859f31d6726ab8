/// One line across the nodes sharing a store: this node's waiting callers go out to the others
/// (the shell writes `waiters(node:)` when `waitingGeneration` moves), theirs come in
/// (`SwitchboardInput.waitersOnOtherNodes`) and go to the queue engine with its own.
extension Switchboard {
    /// Moves whenever the callers waiting here may have changed. Read by the shell after each
    /// input, on the controller thread.
    public var waitingGeneration: UInt64 { router.waitingGeneration }

    /// The callers waiting here and not being offered, on the wall clock, as the store keeps
    /// them for the other nodes (`node`: this node's name there). Called by the shell on the
    /// controller thread; O(waiting callers).
    public func waiters(node: String) -> [ClusterWaiter] {
        router.localWaiters.map { waiter in
            ClusterWaiter(node: node, call: waiter.call.description, queue: waiter.queue, joinedAt: wall(ofRouter: waiter.joinedAt),
                          rankAt: wall(ofRouter: waiter.rankAt), agent: waiter.agent)
        }
    }

    /// The other live nodes' waiting callers, as last read from the store.
    mutating func waitersOnOtherNodes(_ waiters: [ClusterWaiter]) {
        let line = waiters.map { waiter in
            RemoteCaller(id: waiter.node + "/" + waiter.call, queue: waiter.queue, joinedAt: routerTime(ofWall: waiter.joinedAt),
                         rankAt: routerTime(ofWall: waiter.rankAt), agent: waiter.agent)
        }
        followUps += router.remoteWaitersChanged(line, at: routerNow).map(FollowUp.router)
    }

    /// A time on the queue engine's clock, on the wall clock (Unix milliseconds).
    func wall(ofRouter time: Duration) -> Int64 {
        wallNow - Int64((routerNow - time).clampedNanoseconds / 1_000_000)
    }
}
