/// A key as a call's records keep it: which key and how it arrived.
public struct ReceivedKey: Sendable, Equatable {
    public var digit: DTMFDigit
    public var method: DTMFMethod

    public init(_ digit: DTMFDigit, _ method: DTMFMethod) {
        self.digit = digit
        self.method = method
    }
}
