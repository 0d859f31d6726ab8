import Foundation
import Store
import TestSupport
import Testing
import ThroughlineCore

/// The store on real engines: a SQLite file in a scratch folder, and a database of its own on
/// a PostgreSQL server the test process starts. Every test runs on both but the two that are
/// about SQLite's own file format and work counter.
@Suite("Reference store")
struct ReferenceStoreTests {

    @Test(arguments: StoreBackend.allCases) func aNewFileIsMigratedToTheCurrentSchemaAndKeepsDataAcrossReopening(_ backend: StoreBackend) throws {
        let scratch = try ScratchStore(backend)
        let reference: ReferenceNumber
        do {
            let store = try scratch.open(generator: SeededGenerator(seed: 11))
            #expect(store.schemaVersion == Schema.currentVersion)
            reference = try store.issue(caller: "5551234", call: "cid-1", detail: "from 5551234 to 5551000")
            try store.append(reference, kind: .menu, detail: "main", call: "cid-1", author: nil)
            try store.append(reference, kind: .queue, detail: "support", call: "cid-1", author: nil)
        }
        let reopened = try scratch.open()
        let journey = try #require(try reopened.find(reference))
        #expect(journey.caller == "5551234" && journey.status == "open")
        #expect(journey.events.map(\.kind) == ["call", "menu", "queue"])
        #expect(journey.events.first?.call == "cid-1")
        #expect(try reopened.find(ReferenceNumber(parsing: "000-000-0000")) == nil)
    }

    @Test(arguments: StoreBackend.allCases) func numbersAreNeverIssuedTwiceEvenWhenTheGeneratorRepeats(_ backend: StoreBackend) throws {
        let scratch = try ScratchStore(backend)
        // Two stores on one file whose generators draw the same numbers: the second one's
        // first 50 draws are all taken, and it skips them rather than issue any twice.
        let first = try scratch.open(generator: SeededGenerator(seed: 5))
        let second = try scratch.open(generator: SeededGenerator(seed: 5))
        var issued = Set<ReferenceNumber>()
        for _ in 0..<50 { issued.insert(try first.issue(caller: "a", call: "c", detail: "")) }
        for _ in 0..<200 { issued.insert(try second.issue(caller: "b", call: "c", detail: "")) }
        #expect(issued.count == 250)
        #expect(try first.count() == 250)
    }

    @Test(arguments: StoreBackend.allCases) func anOpenReferenceIsFoundForItsCallerUntilResolved(_ backend: StoreBackend) throws {
        let scratch = try ScratchStore(backend)
        let store = try scratch.open()
        let older = try store.issue(caller: "5551234", call: "c1", detail: "")
        let newer = try store.issue(caller: "5551234", call: "c2", detail: "")
        _ = try store.issue(caller: "5559999", call: "c3", detail: "")
        try store.setHolder(older, department: "billing", agent: "erin")
        try store.append(older, kind: .queue, detail: "billing", call: "c1", author: nil)  // touched last
        let open = try #require(try store.openReference(caller: "5551234", within: .seconds(3600)))
        #expect(open.reference == older && open.department == "billing" && open.lastAgent == "erin")
        #expect(try store.openReference(caller: "5551234", within: .zero) == nil)
        #expect(try store.openReference(caller: "", within: .seconds(3600)) == nil)
        // Notes keep their author; resolving closes it once.
        try store.append(older, kind: .note, detail: "promised a refund", call: nil, author: "erin")
        #expect(try store.resolve(older, by: "admin", note: "refunded"))
        #expect(try store.resolve(older, by: "admin", note: nil) == false)
        let resolved = try #require(try store.find(older))
        #expect(resolved.status == "resolved")
        #expect(resolved.events.suffix(2).map { "\($0.kind)|\($0.detail)|\($0.author ?? "")" } == ["note|promised a refund|erin", "resolved|refunded|admin"])
        #expect(try store.openReference(caller: "5551234", within: .seconds(3600))?.reference == newer)
        #expect(try store.references(caller: "5551234").map(\.reference) == [newer, older])
        // Repeat calls are counted by department; call records are kept by reference.
        try store.append(newer, kind: .repeat, detail: "billing", call: "c4", author: nil)
        #expect(try store.repeatCounts() == ["billing": 1])
        try store.saveCallRecord(json: #"{"call":"4"}"#, reference: newer, sipCallID: "c4")
        #expect(try store.callRecords(newer) == [#"{"call":"4"}"#])
    }

    @Test(arguments: StoreBackend.allCases) func eventsOfOneInputAreWrittenTogetherAndALookupCanAskForTheNewestOnly(_ backend: StoreBackend) throws {
        let scratch = try ScratchStore(backend)
        let store = try scratch.open()
        let a = try store.issue(caller: "5551234", call: "c1", detail: "")
        let b = try store.issue(caller: "5559999", call: "c2", detail: "")
        try store.append([JourneyEntry(reference: a, kind: .menu, detail: "keyed 1 -> queue q", call: "c1", author: nil),
                          JourneyEntry(reference: b, kind: .menu, detail: "menu main", call: "c2", author: nil),
                          JourneyEntry(reference: a, kind: .queue, detail: "joined queue q", call: "c1", author: nil)])
        #expect(try store.find(a)?.events.map(\.detail) == ["", "keyed 1 -> queue q", "joined queue q"])
        #expect(try store.find(b)?.events.map(\.detail) == ["", "menu main"])
        for n in 0..<30 { try store.append(a, kind: .note, detail: "note \(n)", call: nil, author: "ann") }
        let newest = try #require(try store.find(a, lastEvents: 5))
        #expect(newest.events.map(\.detail) == (25..<30).map { "note \($0)" })
        #expect(newest.eventCount == 33)
        #expect(try store.find(a)?.events.count == 33)
        let open = try #require(try store.openReference(caller: "5551234", within: .seconds(3600)))
        #expect(open.events.isEmpty && open.eventCount == 33)
        try store.append([])  // nothing to write: no transaction, no error
        #expect(try store.find(a)?.eventCount == 33)
    }


    /// The controller hands events and holders to the journey writer and goes on; whoever
    /// reads or writes next, on any thread, finds them stored and in the order handed over
    /// (no sleep: each read waits for the queue, so an event missing here is a real loss).
    @Test(arguments: StoreBackend.allCases) func eventsHandedToTheWriterAreThereForTheNextReadInOrder(_ backend: StoreBackend) throws {
        let scratch = try ScratchStore(backend)
        let store = try scratch.open()
        let a = try store.issue(caller: "5551234", call: "c1", detail: "")
        let failures = Failures()
        for n in 0..<200 {
            store.appendSoon([JourneyEntry(reference: a, kind: .menu, detail: "step \(n)", call: "c1", author: nil)]) { failures.add("\($0)") }
        }
        store.setHolderSoon(a, department: "support", agent: "ann") { failures.add("\($0)") }
        try store.append(a, kind: .note, detail: "a note from a desk", call: nil, author: "ann")  // after what was queued
        let found = try #require(try DispatchQueue.global().sync { try store.find(a) })  // another thread reads
        #expect(found.events.map(\.detail) == [""] + (0..<200).map { "step \($0)" } + ["a note from a desk"])
        #expect(found.department == "support" && found.lastAgent == "ann")
        #expect(failures.all.isEmpty)
    }
    /// What routing a repeat caller and popping their call read, in SQLite's own count of
    /// work (virtual-machine steps): a number with 100,000 journey events over 20 open
    /// references costs what a number with 60 events on one reference does.
    @Test func aCallersLongHistoryCostsTheLookupsOnTheCallPathNothing() throws {
        let scratch = try ScratchStore(.sqlite)
        let store = try scratch.open(generator: SeededGenerator(seed: 3))
        let light = try store.issue(caller: "5550001", call: "c", detail: "")
        try store.append((1..<60).map { JourneyEntry(reference: light, kind: .menu, detail: "menu \($0)", call: "c", author: nil) })
        var heavy = try store.issue(caller: "5550002", call: "c", detail: "")
        for n in 0..<20 {
            if n > 0 { heavy = try store.issue(caller: "5550002", call: "c", detail: "") }
            try store.append((1..<5_000).map { JourneyEntry(reference: heavy, kind: .menu, detail: "menu \($0)", call: "c", author: nil) })
        }

        func work(_ body: () throws -> Void) rethrows -> Int {
            let before = store.statementSteps
            try body()
            return store.statementSteps - before
        }
        var found: [ReferenceSummary?] = []
        let lightRouting = try work { found.append(try store.openReference(caller: "5550001", within: .seconds(3600))) }
        let heavyRouting = try work { found.append(try store.openReference(caller: "5550002", within: .seconds(3600))) }
        let lightPop = try work { found.append(try store.find(light, lastEvents: 50)) }
        let heavyPop = try work { found.append(try store.find(heavy, lastEvents: 50)) }
        #expect(found.map { $0?.reference } == [light, heavy, light, heavy])
        #expect(found.map { $0?.eventCount } == [60, 5_000, 60, 5_000])
        #expect(found[3]?.events.map(\.detail) == (4_950..<5_000).map { "menu \($0)" })
        #expect(heavyRouting <= lightRouting + 10, "routing: \(heavyRouting) steps for the long history, \(lightRouting) for the short")
        #expect(heavyPop <= lightPop + 10, "pop: \(heavyPop) steps for the long history, \(lightPop) for the short")
        #expect(try store.find(heavy)?.events.count == 5_000)
    }

    /// A file written by the previous schema (version 2) opens with its journeys counted and
    /// its repeat callers found as before.
    @Test func aVersionTwoFileIsMigratedWithItsJourneysCounted() throws {
        let scratch = try ScratchStore(.sqlite)
        guard case .folder(let folder) = scratch.location else { return }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        do {
            let database = try SQLiteDatabase(path: folder + "/throughline.sqlite")
            try database.transaction { () throws(StoreError) in
                for migration in Schema.migrations.prefix(2) { try database.execute(migration) }
                try database.execute("PRAGMA user_version = 2")
                try database.execute("""
                    INSERT INTO reference (digits, issued_at, caller, last_touched) VALUES
                      ('0000000013', '2026-11-01T10:00:00.000Z', '5551234', '2026-11-01T10:05:00.000Z'),
                      ('0000000021', '2026-11-02T10:00:00.000Z', '5551234', '2026-11-02T10:01:00.000Z');
                    INSERT INTO journey_event (reference, at, kind, detail) VALUES
                      ('0000000021', '2026-11-02T10:00:00.000Z', 'call', ''),
                      ('0000000013', '2026-11-01T10:00:00.000Z', 'call', ''),
                      ('0000000013', '2026-11-01T10:05:00.000Z', 'menu', 'main');
                    """)
            }
        }
        let store = try scratch.open()
        #expect(store.schemaVersion == Schema.currentVersion)
        let older = try ReferenceNumber(parsing: "0000000013"), newer = try ReferenceNumber(parsing: "0000000021")
        #expect(try store.find(older, lastEvents: 50)?.eventCount == 2)
        #expect(try store.find(newer, lastEvents: 50)?.eventCount == 1)
        // The latest event decides which open reference a repeat call attaches to.
        #expect(try store.openReference(caller: "5551234", within: .seconds(365 * 86400))?.reference == older)
        try store.append(newer, kind: .repeat, detail: "none", call: "c9", author: nil)
        let open = try #require(try store.openReference(caller: "5551234", within: .seconds(3600)))
        #expect(open.reference == newer && open.eventCount == 2)
    }

    /// Agents' statuses and registrations survive reopening the file; a removed registration
    /// is gone; a second save replaces the first.
    @Test(arguments: StoreBackend.allCases) func agentsStatusesAndRegistrationsAreKeptAcrossReopening(_ backend: StoreBackend) throws {
        let scratch = try ScratchStore(backend)
        do {
            let store = try scratch.open()
            try store.saveStatus(agent: "ann", .paused(reason: "lunch"))
            try store.saveStatus(agent: "bea", .available)
            try store.saveStatus(agent: "bea", .loggedOut)
            try store.saveRegistration(login: "carol", contact: "sip:carol@127.0.0.2:5062", expiresAtUnixMilliseconds: 1_796_044_000_000)
            try store.saveRegistration(login: "dan", contact: "sip:dan@127.0.0.2:5064", expiresAtUnixMilliseconds: 1_796_044_000_000)
            try store.saveRegistration(login: "dan", contact: nil, expiresAtUnixMilliseconds: 0)
        }
        let saved = try scratch.open().savedAgentState()
        #expect(saved.statuses == ["ann": .paused(reason: "lunch"), "bea": .loggedOut])
        #expect(saved.registrations == ["carol": .init(contact: "sip:carol@127.0.0.2:5062", expiresAtUnixMilliseconds: 1_796_044_000_000)])
    }

    /// Pending call backs survive reopening with their place, attempts and retry; an ended
    /// one is no longer pending; ids are never reused.
    @Test(arguments: StoreBackend.allCases) func pendingCallbacksAreKeptAcrossReopeningAndEndedOnesAreNot(_ backend: StoreBackend) throws {
        let scratch = try ScratchStore(backend)
        var first = PendingCallback(id: 1, number: "5551111", queue: "sales", reference: "482-103-3712", department: "sales", priority: 5,
                                    presented: "5551000", joinedAt: 1_796_044_000_000, requestedAt: 1_796_044_030_000)
        let second = PendingCallback(id: 2, number: "5552222", queue: "sales", reference: nil, department: nil, priority: 0,
                                     presented: "5551000", joinedAt: 1_796_044_010_000, requestedAt: 1_796_044_040_000)
        let third = PendingCallback(id: 3, number: "5553333", queue: "billing", reference: nil, department: nil, priority: 0,
                                    presented: "5551000", joinedAt: 1_796_044_020_000, requestedAt: 1_796_044_050_000)
        do {
            let store = try scratch.open()
            try store.saveCallback(first)
            try store.saveCallback(second)
            try store.saveCallback(third)
            first.attempts = 1
            first.retryAt = 1_796_044_400_000
            first.lastFailure = "busy"
            try store.saveCallback(first)
            try store.endCallback(third, .connected, at: 1_796_044_100_000)
        }
        let (pending, nextID) = try scratch.open().pendingCallbacks()
        #expect(pending == [first, second])
        #expect(nextID == 4)
    }

    /// On a shared store each node numbers call backs in a block of its own, restores only
    /// its own, and takes over those of a node no longer live, once; the node that comes back
    /// finds them gone to the other.
    @Test(arguments: StoreBackend.allCases) func callbacksOnASharedStoreBelongToTheirNodeAndAreTakenOverWhenItIsGone(_ backend: StoreBackend) throws {
        let scratch = try ScratchStore(backend)
        let a = try scratch.open(), b = try scratch.open()
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        try a.announce(ClusterNode(name: "A", planHash: "h", seenAt: now))
        try b.announce(ClusterNode(name: "B", planHash: "h", seenAt: now))
        try a.setNode("A")
        try b.setNode("B")
        let (noneOnA, firstA) = try a.pendingCallbacks()
        let (noneOnB, firstB) = try b.pendingCallbacks()
        #expect(noneOnA.isEmpty && noneOnB.isEmpty)
        #expect(firstA % 1_000_000 == 1 && firstB % 1_000_000 == 1)
        if backend == .postgresql { #expect(firstA != firstB, "two nodes' starts get two blocks of ids") }
        let callback = PendingCallback(id: firstA, number: "5551111", queue: "sales", reference: nil, department: nil, priority: 0,
                                       presented: "5551000", joinedAt: now - 5_000, requestedAt: now - 4_000)
        try a.saveCallback(callback)
        // A is live: its call back is nobody else's.
        #expect(try b.adoptCallbacks(liveSince: now - 10_000).isEmpty)
        #expect(try b.pendingCallbacks().callbacks.isEmpty)
        // A not heard from since: B takes it over, once.
        #expect(try b.adoptCallbacks(liveSince: now + 1) == [callback])
        #expect(try b.adoptCallbacks(liveSince: now + 1).isEmpty)
        // A starts again: the call back is B's to place now.
        #expect(try a.pendingCallbacks().callbacks.isEmpty)
        #expect(try b.pendingCallbacks().callbacks == [callback])
    }

    /// Nodes announce themselves (a second announce replaces the first: a reload's plan, a
    /// later beat) and leave; every connection to the store sees the same rows.
    @Test(arguments: StoreBackend.allCases) func nodesAnnounceAndLeaveAndEveryConnectionSeesThem(_ backend: StoreBackend) throws {
        let scratch = try ScratchStore(backend)
        let a = try scratch.open(), b = try scratch.open()
        try a.announce(ClusterNode(name: "127.0.0.1:5060", planHash: "aaaa", seenAt: 1_000))
        try b.announce(ClusterNode(name: "127.0.0.1:5062", planHash: "aaaa", seenAt: 1_500))
        try a.announce(ClusterNode(name: "127.0.0.1:5060", planHash: "bbbb", seenAt: 3_000))
        #expect(try b.nodes() == [ClusterNode(name: "127.0.0.1:5060", planHash: "bbbb", seenAt: 3_000),
                                  ClusterNode(name: "127.0.0.1:5062", planHash: "aaaa", seenAt: 1_500)])
        try b.leave("127.0.0.1:5062")
        #expect(try a.nodes().map(\.name) == ["127.0.0.1:5060"])
    }

    /// Which node has which agent on a call: another node sees only live nodes' rows (not
    /// its own), an offer's claim is refused while another live node has the agent, a node
    /// frees only its own row, and a node starting again forgets what it held before.
    @Test(arguments: StoreBackend.allCases) func agentsEngagedOnANodeAreSeenByTheOthersWhileItIsLive(_ backend: StoreBackend) throws {
        let scratch = try ScratchStore(backend)
        let a = try scratch.open(), b = try scratch.open()
        try a.setNode("A")
        try b.setNode("B")
        try a.announce(ClusterNode(name: "A", planHash: "h", seenAt: 10_000))
        try b.announce(ClusterNode(name: "B", planHash: "h", seenAt: 10_000))
        try a.saveEngagement(agent: "ann", node: "A", engaged: true, at: 9_000)
        try a.saveEngagement(agent: "ben", node: "A", engaged: true, at: 9_500)
        #expect(try b.engagements(liveSince: 5_000, except: "B") == ["ann": "A", "ben": "A"])
        #expect(try a.engagements(liveSince: 5_000, except: "A") == [:], "a node's own rows are not another's")
        // B would offer ann a call: A has her, so B's claim is refused and names A, and a
        // plain write of B's does not take A's row either.
        #expect(try b.claimEngagement(agent: "ann", node: "B", at: 9_700, liveSince: 5_000) == "A")
        try b.saveEngagement(agent: "ann", node: "B", engaged: true, at: 9_750)
        #expect(try b.engagements(liveSince: 5_000, except: "B") == ["ann": "A", "ben": "A"])
        // A frees her; B claims her; a late free of A's does not remove B's row.
        try a.saveEngagement(agent: "ann", node: "A", engaged: false, at: 9_800)
        #expect(try b.claimEngagement(agent: "ann", node: "B", at: 9_850, liveSince: 5_000) == nil)
        #expect(try b.claimEngagement(agent: "ann", node: "B", at: 9_870, liveSince: 5_000) == nil, "B's own claim again")
        try a.saveEngagement(agent: "ann", node: "A", engaged: false, at: 9_900)
        #expect(try a.engagements(liveSince: 5_000, except: "A") == ["ann": "B"])
        // A claim takes an agent over from a node no longer live.
        #expect(try b.claimEngagement(agent: "ben", node: "B", at: 9_950, liveSince: 10_001) == nil)
        #expect(try a.engagements(liveSince: 5_000, except: "A") == ["ann": "B", "ben": "B"])
        try b.saveEngagement(agent: "ben", node: "B", engaged: false, at: 9_960)
        // A not heard from since 10 000: its agents are nobody's once that is too long ago.
        #expect(try b.engagements(liveSince: 10_001, except: "B") == [:])
        // A starts again under its name: what it held before is gone.
        try a.forgetEngagements(of: "A")
        #expect(try b.engagements(liveSince: 5_000, except: "B") == [:])
    }

    /// The callers waiting on each node: a node writes what changed, the others read
    /// those of live nodes first in line first; on PostgreSQL a node whose session ends (its
    /// process killed) is not live from the next read, however recent its last heartbeat.
    @Test(arguments: StoreBackend.allCases) func callersWaitingOnANodeAreReadByTheOthersInLineWhileItIsLive(_ backend: StoreBackend) throws {
        let scratch = try ScratchStore(backend)
        var a: ReferenceStore? = try scratch.open()
        let b = try scratch.open()
        try a!.setNode("A")
        try b.setNode("B")
        try a!.announce(ClusterNode(name: "A", planHash: "h", seenAt: 10_000))
        try b.announce(ClusterNode(name: "B", planHash: "h", seenAt: 10_000))
        let first = ClusterWaiter(node: "A", call: "7", queue: "support", joinedAt: 9_000, rankAt: 9_000)
        let ahead = ClusterWaiter(node: "A", call: "8", queue: "support", joinedAt: 9_500, rankAt: 3_500, agent: "ann")
        try a!.updateWaiters(node: "A", upsert: [first, ahead], remove: [])
        try b.updateWaiters(node: "B", upsert: [ClusterWaiter(node: "B", call: "1", queue: "sales", joinedAt: 9_100, rankAt: 9_100)], remove: [])
        #expect(try b.waiters(liveSince: 5_000, except: "B") == [ahead, first], "in line: rank first")
        #expect(try a!.waiters(liveSince: 5_000, except: "A").map(\.call) == ["1"], "a node's own callers are not another's")
        // One leaves, one changes (their preference for ann ended), one joins.
        var changed = ahead
        changed.agent = nil
        let third = ClusterWaiter(node: "A", call: "9", queue: "support", joinedAt: 9_800, rankAt: 9_800)
        try a!.updateWaiters(node: "A", upsert: [changed, third], remove: ["7"])
        #expect(try b.waiters(liveSince: 5_000, except: "B") == [changed, third])
        // B starting again forgets its own, and only its own.
        try b.forgetWaiters(of: "B")
        #expect(try a!.waiters(liveSince: 5_000, except: "A").isEmpty)
        #expect(try b.waiters(liveSince: 5_000, except: "B").count == 2)
        // A not heard from since 10 000: its callers are not in line once that is too long ago.
        #expect(try b.waiters(liveSince: 10_001, except: "B").isEmpty)
        // A's connection closes (its process died): on PostgreSQL its callers and its agents
        // drop out at once; SQLite, a store of one node, has only the heartbeat.
        try a!.saveEngagement(agent: "ann", node: "A", engaged: true, at: 9_000)
        a = nil
        var gone = false
        for _ in 0..<(backend == .postgresql ? 250 : 1) where !gone {  // the server notices the closed connection within a moment
            gone = try b.waiters(liveSince: 5_000, except: "B").isEmpty && b.engagements(liveSince: 5_000, except: "B").isEmpty
            if !gone { usleep(20_000) }
        }
        #expect(gone == (backend == .postgresql))
    }

    /// On PostgreSQL a node hears at once when another changes the line or its agents: a
    /// caller joining there, an agent taken there, an agent's status set there; its own
    /// changes do not wake it. (SQLite is a store of one node: nothing to hear.)
    @Test func aNodeHearsAnotherNodesChangesToTheLineAndNotItsOwn() throws {
        let scratch = try ScratchStore(.postgresql)
        guard case .postgresql(let url) = scratch.location else { return }
        let a = try scratch.open(), b = try scratch.open()
        try a.setNode("A")
        try b.setNode("B")
        let heard = LockedCounter()
        let kinds = LockedKinds()
        let listener = StoreListener(url: url, node: "A", changed: { heard.add(); kinds.add($0) }, failed: { Issue.record("listener failed: \($0)") })
        try listener.start()
        defer { listener.stop() }
        func waitFor(_ count: Int) -> Int {
            for _ in 0..<250 where heard.value < count { usleep(20_000) }
            return heard.value
        }
        try b.updateWaiters(node: "B", upsert: [ClusterWaiter(node: "B", call: "1", queue: "q", joinedAt: 1, rankAt: 1)], remove: [])
        #expect(waitFor(1) == 1, "a caller joining on B")
        #expect(kinds.take() == [.line])
        try b.saveEngagement(agent: "ann", node: "B", engaged: true, at: 2)
        #expect(waitFor(2) == 2, "ann taken on B")
        #expect(kinds.take() == [.agents])
        try b.saveStatus(agent: "ann", .paused(reason: "lunch"))
        #expect(waitFor(3) == 3, "ann paused on B")
        #expect(kinds.take() == [.agents])
        try a.updateWaiters(node: "A", upsert: [ClusterWaiter(node: "A", call: "1", queue: "q", joinedAt: 1, rankAt: 1)], remove: [])
        try a.saveEngagement(agent: "ben", node: "A", engaged: true, at: 3)
        usleep(500_000)
        #expect(heard.value == 3, "A's own changes do not wake A")
    }

    @Test(arguments: StoreBackend.allCases) func aDatabaseFromANewerProgramIsRefused(_ backend: StoreBackend) throws {
        let scratch = try ScratchStore(backend)
        do { _ = try scratch.open() }
        switch scratch.location {
        case .folder(let folder): try SQLiteDatabase(path: folder + "/throughline.sqlite").execute("PRAGMA user_version = 99")
        case .postgresql(let url): try PostgresDatabase(url: url).execute("UPDATE throughline_schema SET version = 99")
        }
        let error = try #require(throws: StoreError.self) { _ = try scratch.open() }
        #expect(error.message == "the database is at schema version 99, newer than this program's \(Schema.currentVersion)")
    }
}

/// Hand-offs on both engines, with time as a parameter.
@Suite("Hand-offs in the store")
struct HandoffStoreTests {
    static let billing = HandoffDepartment(name: "billing", title: "Billing", handles: ["refunds"], agents: ["bea", "cy"],
                                           assign: .fewestOpen, due: .seconds(3600))
    static let t0: Int64 = 1_800_000_000_000

    @Test(arguments: StoreBackend.allCases) func aHandoffMovesTheReferenceToTheOwnerAndSurvivesReopening(_ backend: StoreBackend) throws {
        let scratch = try ScratchStore(backend)
        let reference: ReferenceNumber
        do {
            let store = try scratch.open(generator: SeededGenerator(seed: 21))
            reference = try store.issue(caller: "5551234", call: "cid-1", detail: "first call")
            try store.setHolder(reference, department: "sales", agent: "sam")
            let made = try store.handOff(reference, to: Self.billing, note: "refund shipping", due: .seconds(3600), by: "sam", at: Self.t0).get()
            #expect(made.owner == "bea" && made.fromDepartment == "sales" && made.dueAt == Self.t0 + 3_600_000 && made.status == .open)
        }
        let store = try scratch.open()
        #expect(store.schemaVersion == Schema.currentVersion)
        let summary = try #require(try store.find(reference))
        #expect(summary.department == "billing" && summary.lastAgent == "bea")
        let event = try #require(summary.events.last)
        #expect(event.kind == "handoff" && event.author == "sam")
        #expect(event.detail.hasPrefix("hand-off 1 to billing, owner bea, due ") && event.detail.hasSuffix(": refund shipping"), "\(event.detail)")
        #expect(try store.handoffs(department: "billing", openOnly: true).map(\.id) == [1])
        #expect(try store.openHandoff(reference)?.note == "refund shipping")
        // A repeat caller is charged to it; resolving the reference closes it.
        #expect(try store.chargeRepeat(reference, department: "billing", call: "cid-2")?.repeats == 1)
        #expect(try store.repeatCounts() == ["billing": 1])
        #expect(try store.resolve(reference, by: "bea", note: "refunded"))
        #expect(try store.handoff(1)?.status == .resolved)
        #expect(try store.handoffs(department: "billing", openOnly: true).isEmpty)
        #expect(try store.handOff(reference, to: Self.billing, note: "again", due: nil, by: "sam", at: Self.t0).failure == .referenceResolved(reference))
    }

    @Test(arguments: StoreBackend.allCases) func fewestOpenSpreadsWorkHandingOnClosesTheOldOneAndClaimsAreExclusive(_ backend: StoreBackend) throws {
        let scratch = try ScratchStore(backend)
        let store = try scratch.open(generator: SeededGenerator(seed: 22))
        let refs = try (0..<3).map { try store.issue(caller: "555000\($0)", call: "c\($0)", detail: "") }
        let owners = try refs.map { try store.handOff($0, to: Self.billing, note: "n", due: nil, by: "sam", at: Self.t0).get().owner }
        #expect(owners == ["bea", "cy", "bea"])
        // Handed on to support (its inbox): the billing hand-off closes, so bea owns one open
        // hand-off like cy, and the next goes to bea again (a tie: plan order).
        let support = HandoffDepartment(name: "support", title: "Support", handles: [], agents: ["sue"], assign: .unassigned, due: nil)
        let onward = try store.handOff(refs[0], to: support, note: "it is a repair", due: nil, by: "bea", at: Self.t0 + 1).get()
        #expect(onward.owner == nil && onward.fromDepartment == "billing" && onward.dueAt == nil)
        #expect(try store.handoff(1)?.status == .handedOn)
        #expect(try store.find(refs[0])?.lastAgent == nil)
        #expect(try store.handOff(try store.issue(caller: "5559", call: "c9", detail: ""), to: Self.billing, note: "n", due: nil, by: "sam", at: Self.t0).get().owner == "bea")
        // Claims: outsiders refused, the first claim wins, a second names the owner; a
        // refused claim writes nothing.
        let before = try #require(try store.find(refs[0])).eventCount
        #expect(try store.claim(onward.id, by: "bea", agentDepartments: ["billing"], at: Self.t0 + 2).failure == .notInDepartment(agent: "bea", department: "support"))
        #expect(try store.claim(onward.id, by: "sue", agentDepartments: ["support"], at: Self.t0 + 3).get().owner == "sue")
        #expect(try store.claim(onward.id, by: "sid", agentDepartments: ["support"], at: Self.t0 + 4).failure == .alreadyOwned(by: "sue"))
        #expect(try store.claim(999, by: "sue", agentDepartments: ["support"], at: Self.t0 + 4).failure == .noSuchHandoff(999))
        #expect(try store.find(refs[0])?.eventCount == before + 1)
        #expect(try store.find(refs[0])?.lastAgent == "sue")
    }

    /// Two nodes on one store (two connections, two threads) claim the same hand-offs at the
    /// same moment: each hand-off has exactly one owner, the claim that lost is told who won,
    /// and every reference's journey has one claim. On PostgreSQL the losing transaction is
    /// the one serializable isolation refuses and runs again; on SQLite the file lock
    /// serialises them.
    @Test(arguments: StoreBackend.allCases) func twoNodesClaimingTheSameHandoffsAtOnceGiveEachOneOwner(_ backend: StoreBackend) throws {
        let scratch = try ScratchStore(backend)
        let nodeA = try scratch.open(generator: SeededGenerator(seed: 24)), nodeB = try scratch.open(generator: SeededGenerator(seed: 25))
        let support = HandoffDepartment(name: "support", title: "Support", handles: [], agents: ["sue", "sid"], assign: .unassigned, due: nil)
        let handoffs = try (0..<20).map { n in
            try nodeA.handOff(try nodeA.issue(caller: "555\(n)", call: "c\(n)", detail: ""), to: support, note: "n", due: nil, by: "sam", at: Self.t0).get()
        }
        let results = NSLock()
        nonisolated(unsafe) var outcomes: [Int64: [String]] = [:]
        DispatchQueue.concurrentPerform(iterations: 2) { side in
            let (store, agent) = side == 0 ? (nodeA, "sue") : (nodeB, "sid")
            for h in handoffs {
                let outcome: String
                do {
                    switch try store.claim(h.id, by: agent, agentDepartments: ["support"], at: Self.t0 + 1) {
                    case .success(let claimed): outcome = "won:\(claimed.owner ?? "")"
                    case .failure(.alreadyOwned(let owner)): outcome = "lost:\(owner)"
                    case .failure(let other): outcome = "refused:\(other)"
                    }
                } catch {
                    outcome = "error:\(error)"
                }
                results.withLock { outcomes[h.id, default: []].append(outcome) }
            }
        }
        for h in handoffs {
            let seen = outcomes[h.id] ?? []
            let owner = try #require(try nodeB.handoff(h.id)?.owner, "hand-off \(h.id): \(seen)")
            #expect(seen.sorted() == ["lost:\(owner)", "won:\(owner)"], "hand-off \(h.id): \(seen)")
            let claims = try #require(try nodeA.find(h.reference)).events.filter { $0.kind == "handoff" && $0.detail.hasPrefix("claimed") }
            #expect(claims.count == 1 && claims.first?.author == owner, "\(claims)")
        }
    }

    @Test(arguments: StoreBackend.allCases) func overdueHandoffsAreFoundOnceAtTheirDueTime(_ backend: StoreBackend) throws {
        let scratch = try ScratchStore(backend)
        let store = try scratch.open(generator: SeededGenerator(seed: 23))
        let a = try store.issue(caller: "1", call: "c1", detail: ""), b = try store.issue(caller: "2", call: "c2", detail: "")
        _ = try store.handOff(a, to: Self.billing, note: "soon", due: .seconds(60), by: "sam", at: Self.t0).get()
        _ = try store.handOff(b, to: Self.billing, note: "later", due: .seconds(3600), by: "sam", at: Self.t0).get()
        #expect(try store.markOverdue(at: Self.t0 + 59_999).isEmpty)
        let first = try store.markOverdue(at: Self.t0 + 60_000)
        #expect(first.map(\.note) == ["soon"] && first[0].overdueAt == Self.t0 + 60_000)
        #expect(try store.markOverdue(at: Self.t0 + 61_000).isEmpty)  // told once
        #expect(try store.markOverdue(at: Self.t0 + 3_600_000).map(\.note) == ["later"])
    }
}


/// The durable record of queue events on both engines.
@Suite("Queue events in the store")
struct QueueEventStoreTests {

    @Test(arguments: StoreBackend.allCases) func eventsAreKeptInOrderAcrossReopeningAndReadByPeriod(_ backend: StoreBackend) throws {
        let scratch = try ScratchStore(backend)
        var connect = QueueRecord(event: .connect, callID: "482-103-3712", queue: "sales", agent: "sam", department: "sales", campaign: "launch", caller: "5551234")
        connect.wait = .milliseconds(12_345)
        connect.withinServiceLevel = true
        connect.position = 2
        var abandon = QueueRecord(event: .abandon, callID: "cid-9", queue: "billing", department: nil, campaign: nil, caller: "")
        abandon.shortAbandon = true
        let events = [RecordedQueueEvent(at: 1_000, record: connect), RecordedQueueEvent(at: 2_000, record: abandon)]
        do {
            try scratch.open().appendQueueEvents(events)
        }
        let store = try scratch.open()
        #expect(try store.queueEvents(from: 0, to: 10_000) == events)
        #expect(try store.queueEvents(from: 1_001, to: 10_000) == [events[1]])
        #expect(try store.queueEvents(from: 0, to: 1_000).isEmpty)  // to is exclusive
    }

    @Test(arguments: StoreBackend.allCases) func theStoresSumsAreTheReportBuildersForEveryGroupingAndInterval(_ backend: StoreBackend) throws {
        let scratch = try ScratchStore(backend)
        let store = try scratch.open()
        var generator = SplitMix64(seed: 41)
        var events: [RecordedQueueEvent] = []
        for i in 0..<600 {
            let kinds = QueueRecord.Event.allCases
            var r = QueueRecord(event: kinds[Int.random(in: 0..<kinds.count, using: &generator)], callID: "c\(i)",
                                queue: ["sales", "billing", "support"][i % 3], agent: i % 4 == 0 ? nil : ["sam", "bea"][i % 2],
                                department: i % 5 == 0 ? nil : ["sales", "billing"][i % 2], campaign: i % 3 == 0 ? "launch" : nil, caller: "5")
            r.wait = .milliseconds(Int64.random(in: 0..<90_000, using: &generator))
            r.talk = .milliseconds(Int64.random(in: 0..<300_000, using: &generator))
            r.withinServiceLevel = Bool.random(using: &generator)
            r.shortAbandon = Bool.random(using: &generator)
            events.append(RecordedQueueEvent(at: 1_800_000_000_000 + Int64(i) * 17_000, record: r))
        }
        try store.appendQueueEvents(events)
        // Whole quarter hours (the summed table), a period cut mid-quarter at both ends (the
        // table and the events at the ends), and an interval that is no whole number of
        // quarter hours (the events alone).
        let base: Int64 = 1_800_000_000_000
        let periods: [(Int64, Int64)] = [(0, .max), (base + 7 * 60_000 + 123, base + 2 * 3_600_000 + 3 * 60_000), (base + 60_000, base + 120_000)]
        for (from, to) in periods {
            let inPeriod = events.filter { $0.at >= from && $0.at < to }
            for grouping in QueueReportBuilder.Grouping.allCases {
                for interval: Duration? in [nil, .seconds(900), .seconds(3600), .seconds(600)] {
                    let sql = try store.queueEventTotals(from: from, to: to, by: grouping, interval: interval)
                    let memory = QueueReportBuilder.totals(inPeriod, by: grouping, interval: interval)
                    #expect(Set(sql) == Set(memory), "\(from)..<\(to) \(grouping) \(String(describing: interval))")
                    #expect(QueueReportBuilder.rows(sql) == QueueReportBuilder.rows(inPeriod, by: grouping, interval: interval))
                }
            }
        }
    }

    @Test(arguments: StoreBackend.allCases) func departmentActivityCountsRepeatsHandoffsAndReasonsByTheHoldingDepartment(_ backend: StoreBackend) throws {
        let scratch = try ScratchStore(backend)
        let store = try scratch.open(generator: SeededGenerator(seed: 31))
        let now = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
        let billing = HandoffDepartment(name: "billing", title: "Billing", handles: ["refunds"], agents: ["bea"], assign: .fewestOpen, due: .seconds(60))
        let a = try store.issue(caller: "1", call: "c1", detail: ""), b = try store.issue(caller: "2", call: "c2", detail: "")
        try store.setHolder(a, department: "sales", agent: "sam")
        try store.recordReason(a, reason: "new orders (Sales)", by: "sam")  // sales held it: a sales customer's reason
        _ = try store.handOff(a, to: billing, note: "refund", due: .seconds(60), by: "sam", at: now - 120_000).get()
        _ = try store.handOff(b, to: billing, note: "refund", due: nil, by: "sam", at: now).get()
        _ = try store.markOverdue(at: now)  // a's is a minute past due
        _ = try store.chargeRepeat(a, department: "billing", call: "c3")
        try store.recordReason(a, reason: "refunds (Billing)", by: "bea")
        #expect(try store.resolve(b, by: "bea", note: nil))
        // c: one call, resolved by sales there and then (a first contact); b took a hand-off.
        let c = try store.issue(caller: "3", call: "c4", detail: "")
        try store.setHolder(c, department: "sales", agent: "sam")
        #expect(try store.resolve(c, by: "sam", note: nil))
        var talk = QueueRecord(event: .completeAgent, callID: a.description, queue: "billing", agent: "bea", department: "billing", campaign: nil, caller: "1")
        talk.talk = .seconds(75)
        talk.chargedTo = "billing"
        var notRepeat = talk
        notRepeat.chargedTo = nil
        let joined = QueueRecord(event: .enterQueue, callID: a.description, queue: "billing", department: "billing", campaign: nil, caller: "1")
        try store.appendQueueEvents([RecordedQueueEvent(at: now, record: talk), RecordedQueueEvent(at: now, record: notRepeat),
                                     RecordedQueueEvent(at: now, record: joined), RecordedQueueEvent(at: now, record: joined)])
        let activity = try store.departmentActivity(from: now - 3_600_000, to: now + 60_000)
        #expect(activity.repeats == ["billing": 1])
        #expect(activity.repeatTalk == ["billing": .seconds(75)])
        #expect(activity.handoffs == ["billing": .init(received: 2, overdue: 1, open: 1)])
        #expect(activity.reasons == ["sales": ["new orders (Sales)": 1], "billing": ["refunds (Billing)": 1]])
        #expect(activity.offered == ["billing": 2])
        #expect(activity.resolutions == ["billing": .init(resolved: 1, firstContact: 0, handoffs: 1), "sales": .init(resolved: 1, firstContact: 1, handoffs: 0)])
        let billingRow = try #require(DepartmentCostBuilder.rows(activity: activity).first { $0.department == "billing" })
        #expect(billingRow.repeatRate == 0.5 && billingRow.firstContactResolution == 0 && billingRow.handoffsPerReference == 1)
        #expect(try store.departmentActivity(from: now + 60_000, to: now + 120_000) == DepartmentActivity())
    }

    @Test(arguments: StoreBackend.allCases) func statusChangesAreLoggedAndAStopEndsEveryonesTimeAvailable(_ backend: StoreBackend) throws {
        let scratch = try ScratchStore(backend)
        let store = try scratch.open(generator: SeededGenerator(seed: 7))
        let before = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
        try store.saveStatus(agent: "ann", .available)
        try store.saveStatus(agent: "bo", .paused(reason: "lunch"))
        try store.agentsStopped(at: before + 60_000)
        try store.agentsStopped(at: before + 70_000)  // already stopped: nothing more
        let changes = try store.agentStatusChanges(from: before - 1000, to: before + 120_000)
        #expect(changes.map { "\($0.agent) \($0.available)" } == ["ann true", "bo false", "ann false", "bo false"], "\(changes)")
        #expect(changes.suffix(2).allSatisfy { $0.at == before + 60_000 })
        // From after the start, the change before the period stands for it: ann was available.
        let later = try store.agentStatusChanges(from: before + 30_000, to: before + 120_000)
        #expect(later.map { "\($0.agent) \($0.available)" }.sorted() == ["ann false", "ann true", "bo false", "bo false"])
        let staffed = StaffedTime.totals(later, from: before + 30_000, to: before + 120_000)
        #expect(staffed == [.init(agent: "ann", slot: nil): 30_000])
        // The report by agent carries it: ann took no call, so her row is time alone.
        let report = try store.report(from: before + 30_000, to: before + 120_000, by: .agent, interval: nil, costs: false)
        #expect(report.rows.map(\.group) == ["ann"] && report.rows.first?.staffedSeconds == 30 && report.rows.first?.occupancy == 0)
    }
}

/// A count bumped from another thread.
final class LockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func add() { lock.withLock { count += 1 } }
}

/// The kinds of change a listener heard, from another thread.
final class LockedKinds: @unchecked Sendable {
    private let lock = NSLock()
    private var kinds: Set<SharedChange> = []
    func add(_ more: Set<SharedChange>) { lock.withLock { kinds.formUnion(more) } }
    /// What was heard since the last take.
    func take() -> Set<SharedChange> { lock.withLock { defer { kinds = [] }; return kinds } }
}

/// Errors reported on the journey writer's thread, read by the test's.
private final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [String] = []
    func add(_ error: String) { lock.withLock { errors.append(error) } }
    var all: [String] { lock.withLock { errors } }
}
