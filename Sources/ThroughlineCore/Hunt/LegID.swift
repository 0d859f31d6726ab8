/// Names one outgoing leg a hunt rings: the caller's call and the leg's number within it.
/// The controller maps it to the SIP adapter's call handle once the leg is dialled.
public struct LegID: Hashable, Sendable, CustomStringConvertible {
    public let call: CallHandle
    public let sequence: UInt32

    public init(call: CallHandle, sequence: UInt32) {
        self.call = call
        self.sequence = sequence
    }

    public var description: String { "\(call).leg\(sequence)" }
}
