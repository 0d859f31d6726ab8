/// The call backs the switchboard holds: every one pending (waiting in its queue, or waiting
/// to be retried) by id, those being placed now, and each queue's counts since start.
struct CallbackBook: Sendable {
    var pending: [Int64: PendingCallback] = [:]
    var placing: [Int64: CallbackRun] = [:]
    var nextID: Int64 = 1
    var counts: [String: CallbackCounts] = [:]
    /// Legs and playbacks of call backs number from here, across every run: a leg of an
    /// earlier attempt still ending never shares an id with one of the next.
    var sequence: UInt32 = 0

    mutating func nextLeg(_ run: CallbackRun) -> LegID {
        sequence &+= 1
        return LegID(call: run.handle, sequence: sequence)
    }

    mutating func nextPlayback(_ run: CallbackRun) -> PlaybackID {
        sequence &+= 1
        return PlaybackID(call: run.handle, sequence: sequence)
    }

    mutating func takeID() -> Int64 {
        defer { nextID += 1 }
        return nextID
    }

    /// The pending call back for this number in this queue (one at most).
    func pendingID(number: String, queue: String) -> Int64? {
        pending.values.first { $0.number == number && $0.queue == queue }?.id
    }

    /// Pending in `queue` now.
    func pendingCount(_ queue: String) -> Int { pending.values.reduce(0) { $0 + ($1.queue == queue ? 1 : 0) } }
}
