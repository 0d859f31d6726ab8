/// One timer a call's machine started, named by what it is for. The controller schedules it
/// and hands it back to the call when it fires; a firing for a timer since cancelled or
/// replaced no longer matches what the machine holds and is ignored.
///
/// The IVR engine and the hunt engine keep their own `IVRTimer` numbers; this enum says which
/// machine a timer belongs to, so no machine's numbers need to keep out of another's range.
public enum CallTimer: Hashable, Sendable, CustomStringConvertible {
    /// The menus' key and no-input timeouts.
    case menu(IVRTimer)
    /// The `run`-th hunt of this call (1 for the first): its ring and step timers.
    case hunt(run: Int, IVRTimer)
    /// A queue offer's `ring`: the `offer`-th time this caller's queue rang agents.
    case queueRing(CallHandle, offer: UInt32)
    /// Keying a reference: the prompt and key timeouts, the `attempt`-th started.
    case referenceEntry(CallHandle, attempt: UInt32)
    /// A queue's `callback key … after`: time to offer the caller a call back.
    case callbackOffer(CallHandle)
    /// Confirming or keying a call-back number: the `attempt`-th wait for a key.
    case callbackEntry(CallHandle, attempt: UInt32)
    /// How long a transferring agent's phone may stay up after the NOTIFY 200 (RFC 3515 §2.4.5).
    case transferDrop(LegID)

    /// The call whose machine started it.
    public var call: CallHandle {
        switch self {
        case .menu(let t), .hunt(_, let t): t.call
        case .queueRing(let call, _), .referenceEntry(let call, _), .callbackOffer(let call), .callbackEntry(let call, _): call
        case .transferDrop(let leg): leg.call
        }
    }

    public var description: String {
        switch self {
        case .menu(let t): "menu:\(t)"
        case .hunt(let run, let t): "hunt\(run):\(t)"
        case .queueRing(let call, let offer): "\(call).queue-ring\(offer)"
        case .referenceEntry(let call, let attempt): "\(call).reference\(attempt)"
        case .callbackOffer(let call): "\(call).callback-offer"
        case .callbackEntry(let call, let attempt): "\(call).callback-entry\(attempt)"
        case .transferDrop(let leg): "transfer-drop:\(leg)"
        }
    }
}
