import Foundation

/// A many-producer, one-consumer queue that the controller thread sleeps on.
///
/// `post` is called from any thread (PJSIP's worker and media-clock threads, the signal
/// handler's queue) and never blocks beyond a short lock; `next` is called only by the
/// controller thread.
public final class EventQueue<Element: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Element] = []
    private var head = 0

    public init() {}

    /// Appends an event and wakes the controller thread.
    public func post(_ element: Element) {
        condition.lock()
        items.append(element)
        condition.signal()
        condition.unlock()
    }

    /// The oldest event, waiting for one until `deadline` (nil: forever). Returns nil when the
    /// deadline passes with the queue still empty.
    public func next(until deadline: Date? = nil) -> Element? {
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
