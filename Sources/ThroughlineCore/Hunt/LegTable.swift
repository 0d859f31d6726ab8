/// The agent legs up now: every call the controller placed to an agent's phone, with the
/// caller it serves, the leg's id in that caller's machine, the agent, and the pop the agent
/// was offered; and the referred calls answered to complete a blind transfer ("carriers").
/// One table, so a leg's identity is one handle from the adapter (which knows only the handle
/// and pjsua's slot) to the engines (which know only the `LegID`).
///
/// Handles: the adapter numbers arriving calls from 1; this table numbers the calls it places
/// from `firstHandle` (2^62), so the two never meet in one `CallHandle` space.
///
/// A value type, used on the controller thread.
public struct LegTable: Sendable {
    public struct Entry: Sendable, Equatable {
        public let caller: CallHandle
        public let leg: LegID
        public let member: String
        /// The pop the agent's desk and the webhook were given (nil when neither is set up).
        public let offered: PopBody?
    }

    public static let firstHandle: UInt64 = 1 << 62

    private var next = LegTable.firstHandle
    private var byHandle: [CallHandle: Entry] = [:]
    private var byLeg: [LegID: CallHandle] = [:]
    /// Referred calls answered for a transfer, and the transferring agent's leg: each is hung
    /// up when that leg ends (the transfer is complete).
    private var carrierLegs: [CallHandle: LegID] = [:]

    public init() {}

    /// Agent legs up (dialled and not ended).
    public var count: Int { byHandle.count }
    /// No leg and no carrier is up.
    public var isEmpty: Bool { byHandle.isEmpty && carrierLegs.isEmpty }

    /// A new handle for `leg` of `caller`'s call, to `member`'s phone.
    public mutating func open(caller: CallHandle, leg: LegID, member: String, offered: PopBody?) -> CallHandle {
        let handle = CallHandle(next)
        next += 1
        byHandle[handle] = Entry(caller: caller, leg: leg, member: member, offered: offered)
        byLeg[leg] = handle
        return handle
    }

    public func entry(_ handle: CallHandle) -> Entry? { byHandle[handle] }

    public func handle(of leg: LegID) -> CallHandle? { byLeg[leg] }

    /// The leg's call ended (or was never sent): its entry, removed.
    @discardableResult
    public mutating func close(_ handle: CallHandle) -> Entry? {
        guard let entry = byHandle.removeValue(forKey: handle) else { return nil }
        byLeg[entry.leg] = nil
        return entry
    }

    /// A referred call answered to complete the transfer from `leg`.
    public mutating func addCarrier(_ handle: CallHandle, for leg: LegID) { carrierLegs[handle] = leg }

    /// The carrier's call ended; false when `handle` is no carrier.
    public mutating func removeCarrier(_ handle: CallHandle) -> Bool { carrierLegs.removeValue(forKey: handle) != nil }

    public func isCarrier(_ handle: CallHandle) -> Bool { carrierLegs[handle] != nil }

    /// The carriers of transfers from `leg`, in handle order.
    public func carriers(of leg: LegID) -> [CallHandle] { carrierLegs.filter { $0.value == leg }.map(\.key).sorted() }

    /// Every carrier, in handle order (hung up at shutdown).
    public var allCarriers: [CallHandle] { carrierLegs.keys.sorted() }
}
