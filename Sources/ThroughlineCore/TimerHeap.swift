/// Pending timers ordered by deadline: a binary min-heap with lazy cancellation, so starting,
/// cancelling and finding the next due timer cost O(log n) whatever the number of calls.
///
/// Deadlines are plain numbers (nanoseconds on the controller's monotonic clock). Used by the
/// controller thread only.
public struct TimerHeap<ID: Hashable & Sendable>: Sendable {
    private var heap: [(deadline: UInt64, order: UInt64, id: ID)] = []
    /// The live deadline of each pending timer; heap entries that disagree are stale.
    private var live: [ID: UInt64] = [:]
    private var order: UInt64 = 0

    public init() {}

    public var count: Int { live.count }

    /// Starts (or restarts) `id` to fire at `deadline`.
    public mutating func schedule(_ id: ID, at deadline: UInt64) {
        live[id] = deadline
        order += 1
        heap.append((deadline, order, id))
        siftUp(heap.count - 1)
    }

    public mutating func cancel(_ id: ID) {
        live[id] = nil
    }

    /// The earliest pending deadline.
    public mutating func nextDeadline() -> UInt64? {
        dropStale()
        return heap.first?.deadline
    }

    /// Removes and returns every timer due at `now`, earliest first.
    public mutating func popDue(now: UInt64) -> [ID] {
        var due: [ID] = []
        while true {
            dropStale()
            guard let top = heap.first, top.deadline <= now else { break }
            removeTop()
            live[top.id] = nil
            due.append(top.id)
        }
        return due
    }

    private mutating func dropStale() {
        while let top = heap.first, live[top.id] != top.deadline { removeTop() }
    }

    private mutating func removeTop() {
        heap.swapAt(0, heap.count - 1)
        heap.removeLast()
        if !heap.isEmpty { siftDown(0) }
    }

    private func less(_ a: Int, _ b: Int) -> Bool {
        (heap[a].deadline, heap[a].order) < (heap[b].deadline, heap[b].order)
    }

    private mutating func siftUp(_ index: Int) {
        var child = index
        while child > 0 {
            let parent = (child - 1) / 2
            guard less(child, parent) else { return }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ index: Int) {
        var parent = index
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < heap.count, less(left, smallest) { smallest = left }
            if right < heap.count, less(right, smallest) { smallest = right }
            guard smallest != parent else { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
