import TestSupport
import Testing
import ThroughlineCore

@Suite("TimerHeap")
struct TimerHeapTests {
    @Test func firesInDeadlineOrderAndSkipsCancelled() {
        var heap = TimerHeap<String>()
        heap.schedule("c", at: 30)
        heap.schedule("a", at: 10)
        heap.schedule("b", at: 20)
        heap.cancel("b")
        #expect(heap.nextDeadline() == 10)
        #expect(heap.popDue(now: 25) == ["a"])
        #expect(heap.popDue(now: 29) == [])
        #expect(heap.popDue(now: 30) == ["c"])
        #expect(heap.count == 0)
        #expect(heap.nextDeadline() == nil)
    }

    @Test func aRestartedTimerFiresOnceAtItsNewDeadline() {
        var heap = TimerHeap<Int>()
        heap.schedule(1, at: 10)
        heap.schedule(1, at: 50)
        #expect(heap.popDue(now: 20) == [])
        #expect(heap.popDue(now: 60) == [1])
        #expect(heap.popDue(now: 100) == [])
    }

    @Test func matchesASortedModelUnderRandomOperations() {
        var rng = SeededGenerator(seed: 99)
        var heap = TimerHeap<Int>()
        var model: [Int: UInt64] = [:]
        var now: UInt64 = 0
        for _ in 0..<20_000 {
            switch Int.random(in: 0..<10, using: &rng) {
            case 0..<5:
                let id = Int.random(in: 0..<500, using: &rng), at = now + UInt64.random(in: 0...1000, using: &rng)
                heap.schedule(id, at: at)
                model[id] = at
            case 5..<7:
                let id = Int.random(in: 0..<500, using: &rng)
                heap.cancel(id)
                model[id] = nil
            default:
                now += UInt64.random(in: 0...200, using: &rng)
                let due = heap.popDue(now: now)
                let expected = model.filter { $0.value <= now }
                #expect(Set(due) == Set(expected.keys))
                #expect(due.count == expected.count)
                for id in due { model[id] = nil }
            }
            #expect(heap.count == model.count)
        }
    }
}
