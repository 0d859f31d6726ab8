/// A timer of a call back, kept by the switchboard: a phone ringing too long, the customer
/// not keying 1, or the wait before the next attempt. A firing that no longer matches the
/// run's timer is ignored.
public enum CallbackTimer: Hashable, Sendable {
    /// The agent's or the customer's phone rang for the queue's `ring` (agent) or
    /// `Switchboard.customerRing` (customer); `sequence` names the leg.
    case ring(id: Int64, sequence: UInt32)
    /// The customer heard the prompt and keyed nothing within `Switchboard.customerKeyWait`.
    case key(id: Int64, sequence: UInt32)
    /// `callback retry` is over: the call back rejoins the queue at its place.
    case retry(id: Int64)
}
