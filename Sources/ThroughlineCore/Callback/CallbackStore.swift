/// Where call backs are kept across restarts: the SQLite store in production
/// (`Store.ReferenceStore`). Every method commits before it returns.
///
/// Called on the controller thread only: saves as call backs are made and change, the read
/// once at start (before the first call). The API lists pending ones from the status board.
public protocol CallbackStore: AnyObject, Sendable {
    /// A call back made or changed (attempts, retry time): inserted or replaced, pending.
    func saveCallback(_ callback: PendingCallback) throws
    /// The call back ended at `at` (Unix milliseconds): kept with how, no longer pending.
    func endCallback(_ callback: PendingCallback, _ end: CallbackEnd, at: Int64) throws
    /// The pending call backs this node places and the next id never used (on a shared
    /// store: its own, and those of nodes no longer live, which it takes over).
    func pendingCallbacks() throws -> (callbacks: [PendingCallback], nextID: Int64)
    /// Call backs pending on nodes not heard from since `liveSince` (Unix milliseconds),
    /// taken over by this node; empty on a store of one node.
    func adoptCallbacks(liveSince: Int64) throws -> [PendingCallback]
}
