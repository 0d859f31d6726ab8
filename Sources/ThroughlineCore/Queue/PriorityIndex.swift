/// A binary min-heap that knows where each of its members sits, so a member can be removed
/// from the middle in O(log n): the queue engine's free agents and waiting callers, which
/// leave for reasons other than reaching the front (an agent pauses, a caller hangs up).
///
/// Ties on `Key` are broken by `ID`, so the order never depends on insertion history.
/// Value type; used by `QueueRouter` on the controller thread.
public struct PriorityIndex<ID: Hashable & Comparable & Sendable, Key: Comparable & Sendable>: Sendable {
    private var heap: [(key: Key, id: ID)] = []
    private var position: [ID: Int] = [:]

    public init() {}

    public var count: Int { heap.count }
    public var isEmpty: Bool { heap.isEmpty }
    public func contains(_ id: ID) -> Bool { position[id] != nil }
    public func key(of id: ID) -> Key? { position[id].map { heap[$0].key } }

    /// The member with the least key.
    public var first: (key: Key, id: ID)? { heap.first }

    /// The member stored at `index` (0..<count), in no particular order: a uniform random
    /// pick for the `random` strategy.
    public func member(at index: Int) -> (key: Key, id: ID) { heap[index] }

    /// Every member, in no particular order (ring-all, reports).
    public var members: [(key: Key, id: ID)] { heap }

    /// Adds `id` with `key`, or moves it if it is already a member.
    public mutating func insert(_ id: ID, key: Key) {
        if position[id] != nil { remove(id) }
        heap.append((key, id))
        position[id] = heap.count - 1
        siftUp(heap.count - 1)
    }

    /// Removes `id` if it is a member.
    @discardableResult
    public mutating func remove(_ id: ID) -> Key? {
        guard let index = position.removeValue(forKey: id) else { return nil }
        let removed = heap[index].key
        let last = heap.removeLast()
        if index < heap.count {
            heap[index] = last
            position[last.id] = index
            siftDown(index)
            siftUp(index)
        }
        return removed
    }

    /// How many members come before `id` (its place in line, from 0). O(n): for
    /// announcements, which are rare, not for routing.
    public func rank(of id: ID) -> Int? {
        guard let index = position[id] else { return nil }
        let mine = heap[index]
        return heap.reduce(0) { $0 + (Self.less($1, mine) ? 1 : 0) }
    }

    private static func less(_ a: (key: Key, id: ID), _ b: (key: Key, id: ID)) -> Bool {
        a.key != b.key ? a.key < b.key : a.id < b.id
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.less(heap[child], heap[parent]) else { return }
            swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1, right = left + 1
            var least = parent
            if left < heap.count, Self.less(heap[left], heap[least]) { least = left }
            if right < heap.count, Self.less(heap[right], heap[least]) { least = right }
            if least == parent { return }
            swapAt(parent, least)
            parent = least
        }
    }

    private mutating func swapAt(_ i: Int, _ j: Int) {
        heap.swapAt(i, j)
        position[heap[i].id] = i
        position[heap[j].id] = j
    }
}
