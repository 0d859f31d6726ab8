import Foundation
import Store
import TestSupport
import Testing
import ThroughlineCore

/// The store on real SQLite files in a scratch folder.
@Suite("Reference store")
struct ReferenceStoreTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("throughline-store-\(UInt32.random(in: 0...UInt32.max))").path

    @Test func aNewFileIsMigratedToTheCurrentSchemaAndKeepsDataAcrossReopening() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var rng = SeededGenerator(seed: 11)
        let reference: ReferenceNumber
        do {
            let store = try ReferenceStore(folder: folder)
            #expect(store.schemaVersion == Schema.currentVersion)
            reference = try store.issue(caller: "5551234", at: Date(), using: &rng)
            try store.record(reference, kind: "menu", detail: "main", call: "cid-1", at: Date())
            try store.record(reference, kind: "queue", detail: "support", call: "cid-1", at: Date())
        }
        let reopened = try ReferenceStore(folder: folder)
        let journey = try #require(try reopened.journey(reference))
        #expect(journey.caller == "5551234" && journey.status == "open")
        #expect(journey.events.map(\.kind) == ["menu", "queue"])
        #expect(try reopened.journey(ReferenceNumber(parsing: "000-000-0000")) == nil)
    }

    @Test func numbersAreNeverIssuedTwiceEvenWhenTheGeneratorRepeats() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try ReferenceStore(folder: folder)
        // Two generators with the same seed draw the same numbers: the second one's first 50
        // draws are all taken, and the store skips them rather than issue any twice.
        var first = SeededGenerator(seed: 5), second = SeededGenerator(seed: 5)
        var issued = Set<ReferenceNumber>()
        for _ in 0..<50 { issued.insert(try store.issue(caller: "a", at: Date(), using: &first)) }
        for _ in 0..<200 { issued.insert(try store.issue(caller: "b", at: Date(), using: &second)) }
        #expect(issued.count == 250)
        #expect(try store.count() == 250)
    }

    @Test func aDatabaseFromANewerProgramIsRefused() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        do { _ = try ReferenceStore(folder: folder) }
        let database = try SQLiteDatabase(path: folder + "/throughline.sqlite")
        try database.execute("PRAGMA user_version = 99")
        #expect(throws: StoreError.self) { _ = try ReferenceStore(folder: folder) }
    }
}
