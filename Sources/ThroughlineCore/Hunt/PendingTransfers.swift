/// Blind transfers agents asked for (REFER, RFC 3515) and not yet completed. pjsua accepts a
/// REFER by placing a "referred call" to the target on this controller; that call arrives
/// like any other, and is recognised here by the target it dials. A transfer not claimed
/// within `lifetime` is forgotten (the referred call never came), so a stray call to the
/// same name later is not taken for it.
///
/// A value type, used on the controller thread; time comes in as a parameter.
public struct PendingTransfers: Sendable {
    public struct Transfer: Sendable, Equatable {
        public let target: String
        public let caller: CallHandle
        public let leg: LegID
        public let requestedAt: Duration
    }

    /// How long an accepted REFER waits for its referred call.
    public static let lifetime: Duration = .seconds(10)

    private var waiting: [Transfer] = []

    public init() {}

    public var count: Int { waiting.count }

    /// The agent on `leg` of `caller`'s call asked to transfer the caller to `target`.
    public mutating func requested(target: String, caller: CallHandle, leg: LegID, at now: Duration) {
        waiting.append(Transfer(target: target, caller: caller, leg: leg, requestedAt: now))
    }

    /// The oldest pending transfer to `target` still within its lifetime, removed; expired
    /// transfers are dropped first. nil: the call dialling `target` is no referred call.
    public mutating func claim(target: String, at now: Duration) -> Transfer? {
        waiting.removeAll { now - $0.requestedAt > Self.lifetime }
        guard let index = waiting.firstIndex(where: { $0.target == target }) else { return nil }
        return waiting.remove(at: index)
    }
}
