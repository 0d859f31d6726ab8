/// What the SIP adapter knows of a call when its INVITE arrives.
public struct IncomingCall: Sendable, Equatable {
    public var handle: CallHandle
    /// The SIP `Call-ID` header, for correlating log lines with packet captures.
    public var sipCallID: String
    /// The caller's user part (From), e.g. `"+15551234"`; empty when anonymous.
    public var caller: String
    /// The dialled user part (request URI / To), which routes pick plans by.
    public var dialled: String
    /// The remote party's address, as pjsua saw the From header.
    public var remoteURI: String
    /// Where the INVITE came from (`host:port` of the packet): how an agent's phone dialling
    /// a feature code is recognised.
    public var source: String
    /// When the INVITE arrived, Unix milliseconds (the adapter's wall clock): which of a
    /// route's campaigns the call answers. 0 when unknown (tests that do not care).
    public var arrivedAt: Int64

    public init(handle: CallHandle, sipCallID: String, caller: String, dialled: String, remoteURI: String, source: String = "", arrivedAt: Int64 = 0) {
        self.source = source
        self.arrivedAt = arrivedAt
        self.handle = handle
        self.sipCallID = sipCallID
        self.caller = caller
        self.dialled = dialled
        self.remoteURI = remoteURI
    }
}
