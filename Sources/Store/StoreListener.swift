import Foundation
import ThroughlineCore

/// Wakes a node when another node sharing its PostgreSQL store changes what the queues route
/// on: a caller joining or leaving a queue there, an agent taken or freed there, an agent's
/// status or phone set there. Those writes notify the `ReferenceStore.lineChannel` channel
/// with the writing node's name and what changed (`ReferenceStore.notifyLine`); this
/// listener, on a connection and a thread of its own, hears them and calls `changed` with the
/// kinds of change another node made in each batch (a node's own writes do not wake it). The
/// 2 s reads stay as the floor: a notification lost with a connection costs at most one read's
/// wait. Started by the runner for a PostgreSQL store only.
public final class StoreListener: @unchecked Sendable {
    private let url: String
    private let node: String
    private let changed: @Sendable (Set<SharedChange>) -> Void
    private let failed: @Sendable (String) -> Void
    private let lock = NSLock()
    private var running = false
    /// The listening connection: opened by `start`, then used by the listener's thread only,
    /// which closes it when it stops.
    private var database: PostgresDatabase?
    /// Signalled by the listener's thread when it has stopped and closed its connection.
    private let finished = DispatchSemaphore(value: 0)

    /// `changed` and `failed` (a failure to listen, once until it listens again) are called on
    /// the listener's thread.
    public init(url: String, node: String, changed: @escaping @Sendable (Set<SharedChange>) -> Void, failed: @escaping @Sendable (String) -> Void) {
        self.url = url
        self.node = node
        self.changed = changed
        self.failed = failed
    }

    /// Opens the connection and starts listening on a thread of its own. Called once, by the
    /// runner; throws when the store cannot be reached.
    public func start() throws {
        let database = try PostgresDatabase(url: url)
        try database.listen(ReferenceStore.lineChannel)
        self.database = database
        lock.withLock { running = true }
        let thread = Thread { [self] in loop() }
        thread.name = "throughline.store-listener"
        thread.start()
    }

    /// Stops the thread and closes the connection, returning when both are done (within a
    /// quarter of a second). Called by the runner at shutdown; does nothing when not started.
    public func stop() {
        let wasRunning = lock.withLock { () -> Bool in
            defer { running = false }
            return running
        }
        if wasRunning { finished.wait() }
    }

    private var isRunning: Bool { lock.withLock { running } }

    /// The listener's thread: listens until stopped, then closes the connection (PQfinish)
    /// before `stop` returns.
    private func loop() {
        if let database { listen(on: database) }
        database = nil
        finished.signal()
    }

    private func listen(on database: PostgresDatabase) {
        var failing = false
        while isRunning {
            do {
                let payloads = try database.notifications(within: .milliseconds(250))
                failing = false
                let changes = Set(payloads.compactMap { ReferenceStore.lineChange(in: $0, except: node) })
                if !changes.isEmpty { changed(changes) }
            } catch {
                if !failing { failed("\(error)") }
                failing = true
                // Reconnects on the next call, at most once a second; `stop` still waits at
                // most a tenth of a second.
                for _ in 0..<10 where isRunning { Thread.sleep(forTimeInterval: 0.1) }
            }
        }
    }
}
