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
        var lastPosted: UInt64 = 0
        for _ in 0..<(producers * perProducer) {
            let (value, postedAt) = queue.next()!
            let producer = value / perProducer
            if let last = seen[producer] { #expect(value > last) }
            seen[producer] = value
            // Stamped under the queue's lock, so in the order taken.
            #expect(postedAt >= lastPosted)
            lastPosted = postedAt
        }
        #expect(queue.next(until: Date()) == nil)
    }

    @Test func aPassedDeadlineOnAnEmptyQueueReturnsNil() {
        let queue = EventQueue<String>()
        #expect(queue.next(until: Date(timeIntervalSinceNow: -1)) == nil)
        let before = DispatchTime.now().uptimeNanoseconds
        queue.post("x")
        let next = queue.next(until: Date(timeIntervalSinceNow: -1))
        #expect(next?.element == "x")
        #expect(next.map { $0.postedAt >= before && $0.postedAt <= DispatchTime.now().uptimeNanoseconds } == true)
    }
}
