/// Names one timer an IVR run started; a firing for a timer that was since cancelled or
/// replaced carries an old id and is ignored.
public struct IVRTimer: Hashable, Sendable, CustomStringConvertible {
    public let call: CallHandle
    public let sequence: UInt32

    public init(call: CallHandle, sequence: UInt32) {
        self.call = call
        self.sequence = sequence
    }

    public var description: String { "\(call).t\(sequence)" }
}
