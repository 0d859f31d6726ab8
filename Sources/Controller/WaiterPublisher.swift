import Foundation
import ThroughlineCore

/// Writes the callers waiting in this node's queues to the shared store, so the other nodes
/// put them in line with theirs (one line across the cluster; `SharedAgentWatch` reads them
/// there). The controller hands it the whole set when it changed and the last write is done
/// (it has had `written` for it); the write (what changed since the last one: callers who
/// joined or changed, callers who left, in one transaction) runs on this publisher's serial
/// queue, so a store round trip never holds a call, and many changes in one write's time
/// cost one write. When a write ends, `written` is called (on the publisher's queue; the
/// runner posts `ControllerInput.waitersWritten`) so the controller can hand over what
/// changed meanwhile; a failed write is logged once until one succeeds, and reported a
/// second later, so the controller writes the set again.
public final class WaiterPublisher: @unchecked Sendable {
    private let book: NodeBook
    /// This node's name in the store.
    public let node: String
    private let logger: Logger
    private let written: @Sendable (_ ok: Bool) -> Void
    private let queue = DispatchQueue(label: "throughline.waiters")
    /// Whether the last write failed; touched on `queue` only.
    private var failing = false
    /// The least time from one write's start to the next: a busy node's arrivals and
    /// answers cost at most 40 writes a second (and the other nodes as many reads), and the
    /// line the others see is at most this much older than the write's data.
    public static let spacing: TimeInterval = 0.025
    /// What the store holds of this node's callers, by call; touched on `queue` only.
    private var stored: [String: ClusterWaiter] = [:]

    /// Forgets what a previous run under the same name left (a crash leaves rows). Called by
    /// the runner, before the first call.
    public init(book: NodeBook, node: String, logger: Logger, written: @escaping @Sendable (_ ok: Bool) -> Void) {
        self.book = book
        self.node = node
        self.logger = logger
        self.written = written
        do {
            try book.forgetWaiters(of: node)
        } catch {
            logger.log(.error, "queue.waiters-failed", [("error", "\(error)")])
        }
    }

    /// Writes `waiters` (every caller waiting here), then calls `written`. Called on the
    /// controller thread, once the previous write's `written` has come; returns at once.
    public func publish(_ waiters: [ClusterWaiter]) {
        queue.async { [self] in
            let started = Date()
            var ok = true
            let now = Dictionary(waiters.map { ($0.call, $0) }, uniquingKeysWith: { first, _ in first })
            let upsert = now.values.filter { stored[$0.call] != $0 }.sorted { $0.call < $1.call }
            let remove = stored.keys.filter { now[$0] == nil }.sorted()
            guard !upsert.isEmpty || !remove.isEmpty else {
                // Nothing the others see moved (a caller who joined and was offered in one
                // input): no round trip, and no read on the other nodes.
                written(true)
                return
            }
            do {
                try book.updateWaiters(node: node, upsert: upsert, remove: remove)
                stored = now  // a failed transaction wrote nothing: the next diff is from the same base
                if failing { logger.log(.info, "queue.waiters-resumed", [("waiting", String(waiters.count))]) }
                failing = false
            } catch {
                if !failing { logger.log(.error, "queue.waiters-failed", [("error", "\(error)")]) }
                failing = true
                ok = false
                Thread.sleep(forTimeInterval: 1)  // a store that is gone: once a second, not in a loop
            }
            let rest = Self.spacing - Date().timeIntervalSince(started)
            if ok && rest > 0 { Thread.sleep(forTimeInterval: rest) }
            written(ok)
        }
    }

    /// Waits for the write queued so far, then removes this node's rows: a node stopping
    /// cleanly holds nobody. Called by the runner at shutdown.
    public func stop() {
        queue.sync {}
        try? book.forgetWaiters(of: node)
    }
}
