import Foundation
import Store
import TestSupport
import Testing

/// The SQLite store's WAL is copied back into the main file by a thread of its own, never
/// inside a commit (`WALCheckpointer`): a commit that crossed SQLite's 1,000-page threshold
/// used to checkpoint and `fdatasync` while holding the store's lock, and every new caller's
/// reference waited behind it.
@Suite("WAL checkpoints")
struct WALCheckpointTests {
    /// The writing connection reports no automatic checkpoint (`PRAGMA wal_autocheckpoint`
    /// is 0 once a WAL hook replaces SQLite's), and yet the main file grows after more than
    /// the threshold's pages are committed: only a checkpoint writes to it, so the
    /// checkpointer ran. Then the data reads back whole, and again after reopening.
    @Test func pagesReachTheMainFileWithoutTheWritingConnectionCheckpointing() throws {
        let scratch = try ScratchStore(.sqlite)
        guard case .folder(let folder) = scratch.location else { return }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/throughline.sqlite"
        // A 4 KB page a row, about three WAL frames a commit (the row's page, the tree above
        // it, the header): 6,000 frames, over the threshold and under the writer's own
        // fallback at 8,000, so only the checkpointer can move them.
        let rows = 2_000, body = String(repeating: "x", count: 3_000)
        do {
            let database = try SQLiteDatabase(path: path)
            #expect(try database.query("PRAGMA wal_autocheckpoint", []) == [[.integer(0)]])
            try database.execute("CREATE TABLE filler (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
            let emptySize = try Self.size(path)
            for _ in 0..<rows {
                try database.transaction { () throws(StoreError) in
                    _ = try database.query("INSERT INTO filler (body) VALUES (?)", [.text(body)])
                }
            }
            // The checkpointer works behind the writes: wait for it, 20 s at most.
            let deadline = Date().addingTimeInterval(20)
            while try Self.size(path) < 7_000_000 && Date() < deadline { usleep(20_000) }
            let mainSize = try Self.size(path)
            #expect(mainSize >= 7_000_000, "main file \(mainSize) bytes (empty: \(emptySize)) after \(rows) rows of 3 KB")
            #expect(try database.query("SELECT count(*), sum(length(body)) FROM filler", []) == [[.integer(Int64(rows)), .integer(Int64(rows * 3_000))]])
        }
        let reopened = try SQLiteDatabase(path: path)
        #expect(try reopened.query("SELECT count(*) FROM filler", []) == [[.integer(Int64(rows))]])
    }

    static func size(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }
}
