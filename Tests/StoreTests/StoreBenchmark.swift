import Foundation
import Store
import TestSupport
import Testing
import ThroughlineCore

/// `make bench` only (THROUGHLINE_BENCH=1): what the store's statements on a caller's path
/// cost the controller thread, on SQLite (a WAL file) and on PostgreSQL (a server on
/// loopback, durability off as the test server runs it), timed one by one. The figures are
/// the engines' and the connection's: the store's Swift is a thin loop over them.
@Suite("Benchmark: the store on a caller's path", .enabled(if: ProcessInfo.processInfo.environment["THROUGHLINE_BENCH"] == "1"), .serialized)
struct StoreBenchmark {
    /// Per engine: a new caller's arrival (no open reference; a reference issued), the journey
    /// entries of one input (three events in one transaction), a repeat caller's arrival (the
    /// open reference found and charged), and a pop's read of the newest 50 events.
    @Test(arguments: StoreBackend.allCases) func callPathStatements(_ backend: StoreBackend) throws {
        let calls = Int(ProcessInfo.processInfo.environment["THROUGHLINE_BENCH_STORE_CALLS"] ?? "") ?? 2_000
        let scratch = try ScratchStore(backend)
        let store = try scratch.open(generator: SeededGenerator(seed: 91))
        var arrival: [Double] = [], journey: [Double] = [], repeatCaller: [Double] = [], pop: [Double] = []
        func timed(_ into: inout [Double], _ body: () throws -> Void) rethrows {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            into.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000)
        }
        for n in 0..<calls {
            let caller = "55510\(n)"
            var reference: ReferenceNumber?
            try timed(&arrival) {
                if try store.openReference(caller: caller, within: .seconds(3600)) == nil {
                    reference = try store.issue(caller: caller, call: "cid-\(n)", detail: "from \(caller) to 5551000")
                }
            }
            guard let reference else { Issue.record("a new caller had an open reference"); return }
            try timed(&journey) {
                try store.append([JourneyEntry(reference: reference, kind: .menu, detail: "menu main", call: "cid-\(n)", author: nil),
                                  JourneyEntry(reference: reference, kind: .menu, detail: "keyed 1 -> queue q", call: "cid-\(n)", author: nil),
                                  JourneyEntry(reference: reference, kind: .queue, detail: "joined queue q", call: "cid-\(n)", author: nil)])
            }
            try timed(&repeatCaller) {
                let open = try #require(try store.openReference(caller: caller, within: .seconds(3600)))
                _ = try store.chargeRepeat(open.reference, department: open.department, call: "cid-\(n)-again")
            }
            try timed(&pop) { _ = try store.find(reference, lastEvents: 50) }
        }
        func line(_ name: String, _ values: [Double]) -> String {
            let sorted = values.sorted()
            func at(_ q: Double) -> String { String(format: "%.0f", sorted[min(sorted.count - 1, Int(Double(sorted.count) * q))]) }
            return "  \(backend.description.padding(toLength: 10, withPad: " ", startingAt: 0)) \(name.padding(toLength: 34, withPad: " ", startingAt: 0)) p50 \(at(0.5)) µs  p99 \(at(0.99)) µs"
        }
        print("Throughline store on a caller's path (\(calls) callers, \(backend)):")
        print(line("new caller: lookup + issue", arrival))
        print(line("journey: 3 events, one transaction", journey))
        print(line("repeat caller: lookup + charge", repeatCaller))
        print(line("pop: newest 50 events", pop))
    }
}
