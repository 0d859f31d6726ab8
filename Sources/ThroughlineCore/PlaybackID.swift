/// Names one playback of a prompt into a call: the call and a sequence number the call's
/// machine counts up.
///
/// A `promptFinished` event carries it, so a late end-of-file from a playback that was
/// already stopped or replaced is recognised and ignored by the call's machine.
public struct PlaybackID: Hashable, Sendable, CustomStringConvertible {
    public let call: CallHandle
    public let sequence: UInt32

    public init(call: CallHandle, sequence: UInt32) {
        self.call = call
        self.sequence = sequence
    }

    public var description: String { "\(call).\(sequence)" }
}
