import Foundation

/// A many-producer, one-consumer queue that the controller thread sleeps on.
///
/// `post` is called from any thread (PJSIP's worker and media-clock threads, the signal
/// handler's queue) and never blocks beyond a short lock; `next` is called only by the
/// controller thread. Each event is stamped when posted (monotonic nanoseconds, the
/// controller's clock), so the controller can tell how long its answer to an event took,
/// waiting in this queue included.
public final class EventQueue<Element: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [(element: Element, postedAt: UInt64)] = []
    private var head = 0

    public init() {}

    /// Appends an event and wakes the controller thread.
    public func post(_ element: Element) {
        condition.lock()
        items.append((element, DispatchTime.now().uptimeNanoseconds))
        condition.signal()
        condition.unlock()
    }

    /// The oldest event and when it was posted, waiting for one until `deadline` (nil:
    /// forever). Returns nil when the deadline passes with the queue still empty.
    public func next(until deadline: Date? = nil) -> (element: Element, postedAt: UInt64)? {
        condition.lock()
        defer { condition.unlock() }
        while head == items.count {
            if let deadline {
                if !condition.wait(until: deadline) && head == items.count { return nil }
            } else {
                condition.wait()
            }
        }
        let element = items[head]
        head += 1
        if head > 1024 && head * 2 > items.count {  // compact now and then, amortised O(1)
            items.removeFirst(head)
            head = 0
        }
        return element
    }
}
