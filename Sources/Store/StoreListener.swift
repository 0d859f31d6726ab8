import Foundation

/// Wakes a node when another node sharing its PostgreSQL store changes what the queues route
/// on: a caller joining or leaving a queue there, an agent taken or freed there, an agent's
/// status or phone set there. Those writes notify the `ReferenceStore.lineChannel` channel
/// with the writing node's name (`ReferenceStore.notifyLine`); this listener, on a connection
/// and a thread of its own, hears them and calls `changed` for every batch that names another
/// node (a node's own writes do not wake it). The 2 s reads stay as the floor: a notification
/// lost with a connection costs at most one read's wait. Started by the runner for a
/// PostgreSQL store only.
public final class StoreListener: @unchecked Sendable {
    private let url: String
    private let node: String
    private let changed: @Sendable () -> Void
    private let failed: @Sendable (String) -> Void
    private let lock = NSLock()
    private var running = false
    private var thread: Thread?
    /// The listening connection: opened by `start`, then used by the listener's thread only.
    private var database: PostgresDatabase?

    /// `changed` and `failed` (a failure to listen, once until it listens again) are called on
    /// the listener's thread.
    public init(url: String, node: String, changed: @escaping @Sendable () -> Void, failed: @escaping @Sendable (String) -> Void) {
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
        self.thread = thread
        thread.start()
    }

    /// Stops within a quarter of a second. Called by the runner at shutdown.
    public func stop() { lock.withLock { running = false } }

    private var isRunning: Bool { lock.withLock { running } }

    private func loop() {
        guard let database else { return }
        var failing = false
        while isRunning {
            do {
                let payloads = try database.notifications(within: .milliseconds(250))
                failing = false
                if payloads.contains(where: { $0 != node }) { changed() }
            } catch {
                if !failing { failed("\(error)") }
                failing = true
                Thread.sleep(forTimeInterval: 1)  // reconnects on the next call, at most once a second
            }
        }
    }
}
