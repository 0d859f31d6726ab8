/// A call's first touch of the reference store, before it is routed: the caller's open
/// reference (a repeat caller within the plan's window), or a new one.
public enum ReferenceTouch: Sendable, Equatable {
    /// No reference: no store is configured, or it failed (the call goes on without).
    case none
    /// A new reference was issued for this call.
    case issued(ReferenceNumber)
    /// The caller's open reference: the department holding it (nil when none yet), the
    /// agent who last had it (a hand-off's owner, when a department holds it by a hand-off)
    /// and that hand-off's id. The store has written the `repeat` event already.
    case repeatCaller(ReferenceNumber, department: String?, lastAgent: String?, handoff: Int64? = nil)

    /// What the store is asked for an arriving call (`Switchboard.referenceTouch(for:)`).
    public struct Request: Sendable, Equatable {
        public var caller: String
        public var sipCallID: String
        /// How far back an open reference counts as the caller's (the plan's setting).
        public var window: Duration
        /// The new reference's first journey line (`from 5551234 to 100, route 100`).
        public var detail: String
    }

    public var reference: ReferenceNumber? {
        switch self {
        case .none: nil
        case .issued(let r), .repeatCaller(let r, _, _, _): r
        }
    }
}
