import Controller
import Foundation
import Testing

@Suite("EventQueue")
struct EventQueueTests {
    @Test func deliversInOrderAcrossThreads() async {
        let queue = EventQueue<Int>()
        let producers = 4, perProducer = 2_000
        await withTaskGroup(of: Void.self) { group in
            for p in 0..<producers {
                group.addTask { for i in 0..<perProducer { queue.post(p * perProducer + i) } }
            }
        }
        var seen: [Int: Int] = [:]  // producer -> last value, to check per-producer order
        for _ in 0..<(producers * perProducer) {
            let value = queue.next()!
            let producer = value / perProducer
            if let last = seen[producer] { #expect(value > last) }
            seen[producer] = value
        }
        #expect(queue.next(until: Date()) == nil)
    }

    @Test func aPassedDeadlineOnAnEmptyQueueReturnsNil() {
        let queue = EventQueue<String>()
        #expect(queue.next(until: Date(timeIntervalSinceNow: -1)) == nil)
        queue.post("x")
        #expect(queue.next(until: Date(timeIntervalSinceNow: -1)) == "x")
    }
}
