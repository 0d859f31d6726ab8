import Foundation
import Store
import ThroughlineCore

/// `make bench`: a report over a million recorded queue events, from a real SQLite store in a
/// scratch folder: the store's sums (`queueEventTotals`, SQL over the period) and the figures
/// from them (`QueueReportBuilder.rows`), each timed. The events are a day of calls over 20 queues and 200 agents: joined, answered or
/// abandoned, completed.
enum ReportBenchmark {
    struct Result {
        let events: Int
        let fillSeconds: Double
        let readSeconds: Double
        let computeSeconds: Double
        let rows: Int
    }

    static func run(events target: Int = 1_000_000, folder: String) throws -> Result {
        try? FileManager.default.removeItem(atPath: folder)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try ReferenceStore(folder: folder)
        var generator = SplitMix64(seed: 16)
        let day: Int64 = 1_796_000_000_000
        var batch: [RecordedQueueEvent] = []
        batch.reserveCapacity(10_000)
        var written = 0, call = 0
        let fillStart = DispatchTime.now().uptimeNanoseconds
        while written < target {
            call += 1
            let queue = "q\(Int.random(in: 0..<20, using: &generator))", agent = "a\(Int.random(in: 0..<200, using: &generator))"
            let at = day + Int64.random(in: 0..<86_400_000, using: &generator)
            let wait = Duration.seconds(Int64.random(in: 0..<120, using: &generator))
            func event(_ kind: QueueRecord.Event, _ offset: Int64, agent: String? = nil) -> RecordedQueueEvent {
                var r = QueueRecord(event: kind, callID: "c\(call)", queue: queue, agent: agent, department: "d\(queue.count)", campaign: nil, caller: "555")
                r.wait = wait
                r.withinServiceLevel = wait <= .seconds(20)
                r.shortAbandon = wait <= .seconds(5)
                r.talk = .seconds(180)
                return RecordedQueueEvent(at: at + offset, record: r)
            }
            batch.append(event(.enterQueue, 0))
            if Int.random(in: 0..<10, using: &generator) < 8 {
                batch.append(event(.connect, 1_000, agent: agent))
                batch.append(event(.completeCaller, 181_000, agent: agent))
                written += 3
            } else {
                batch.append(event(.abandon, 1_000))
                written += 2
            }
            if batch.count >= 10_000 {
                try store.appendQueueEvents(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        try store.appendQueueEvents(batch)
        let fill = Double(DispatchTime.now().uptimeNanoseconds - fillStart) / 1e9
        let readStart = DispatchTime.now().uptimeNanoseconds
        let totals = try store.queueEventTotals(from: day, to: day + 86_400_000 + 200_000, by: .queue, interval: nil)
        let computeStart = DispatchTime.now().uptimeNanoseconds
        let rows = QueueReportBuilder.rows(totals)
        let end = DispatchTime.now().uptimeNanoseconds
        return Result(events: totals.reduce(0) { $0 + $1.count }, fillSeconds: fill, readSeconds: Double(computeStart - readStart) / 1e9,
                      computeSeconds: Double(end - computeStart) / 1e9, rows: rows.count)
    }
}
