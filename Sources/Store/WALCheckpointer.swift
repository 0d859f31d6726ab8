import CSQLite
import Foundation

/// Copies a WAL database's committed pages back into its main file from a thread and a
/// connection of its own, so the connection that writes never does it.
///
/// SQLite's default is to checkpoint inside whichever COMMIT takes the WAL past 1,000 pages,
/// and the checkpoint ends in an `fdatasync`: with `synchronous = NORMAL` the only sync
/// there is. That COMMIT holds the store's lock throughout, so the controller, which issues
/// a reference for every new caller under the same lock, waited behind it (at 600 calls/s
/// the controller and the other writers spent 0.19–0.5 s of every 3 s in `fdatasync` with the
/// lock held; BENCHMARKS.md, 2026-12-03, third sitting). Installing a WAL hook turns SQLite's
/// automatic checkpoint off; the hook only counts and wakes this thread, which runs a
/// PASSIVE checkpoint: it copies what no reader still needs, waits for no one, and lets
/// writers go on committing meanwhile. The next writer after a complete checkpoint starts the
/// WAL over from its beginning, so the file stays near the threshold's size; if commits never
/// pause long enough for a complete one, the writer checkpoints itself at 8,000 pages.
///
/// `walCommitted` is called by SQLite on the writing thread, inside COMMIT; `stop` by the
/// database's owner when it closes. Everything else runs on the checkpointer's thread.
final class WALCheckpointer: @unchecked Sendable {
    /// WAL pages after which a checkpoint is started: SQLite's own default.
    static let pages: Int32 = 1000

    private let handle: OpaquePointer
    private let condition = NSCondition()
    private var due = false
    private var stopping = false
    private let finished = DispatchSemaphore(value: 0)

    /// Opens a second connection to `path` (already in WAL mode) and starts the thread.
    init(path: String) throws(StoreError) {
        let db = try SQLiteDatabase.connect(path, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX)
        handle = db
        // A connection learns the file is in WAL mode when it first reads it; until then a
        // checkpoint does nothing (and says so with -1 frames).
        do {
            try SQLiteDatabase.check("sqlite3_exec", sqlite3_exec(db, "PRAGMA journal_mode", nil, nil, nil), on: db)
        } catch {
            sqlite3_close(db)
            throw error
        }
        Thread { [self] in run() }.start()
    }

    /// Installs the hook on the writing connection `db`: from now on its commits never
    /// checkpoint, and report the WAL's size here instead.
    func attach(to db: OpaquePointer) {
        sqlite3_wal_hook(db, { context, db, name, pages in
            guard pages >= WALCheckpointer.pages, let context else { return SQLITE_OK }
            if pages >= WALCheckpointer.pages * 8 {
                // Writes without a pause: the WAL starts over only after a checkpoint that
                // copied all of it, which the thread may never get while commits keep coming.
                // Checkpoint here, as SQLite would have, so the file stays bounded.
                _ = sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
            }
            Unmanaged<WALCheckpointer>.fromOpaque(context).takeUnretainedValue().walCommitted()
            return SQLITE_OK
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    /// Called by SQLite's WAL hook on the writing thread, inside COMMIT: wakes the thread.
    private func walCommitted() {
        condition.lock()
        due = true
        condition.signal()
        condition.unlock()
    }

    /// Stops the thread and closes its connection. Called by the owner, once, after removing
    /// the hook from the writing connection (`sqlite3_wal_hook(db, nil, nil)`), and before
    /// closing it, so that the last close finds no other connection and checkpoints the rest.
    func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
        finished.wait()
        sqlite3_close_v2(handle)
    }

    private func run() {
        Thread.current.name = "sqlite-ckpt"  // named from inside: Linux names only the current thread
        while true {
            condition.lock()
            while !due && !stopping { condition.wait() }
            let stop = stopping
            due = false
            condition.unlock()
            if stop { break }
            // SQLITE_BUSY (another connection checkpointing) or SQLITE_LOCKED: the next commit
            // past the threshold asks again.
            _ = sqlite3_wal_checkpoint_v2(handle, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
        }
        finished.signal()
    }
}
