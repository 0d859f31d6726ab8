/// How a key reached Throughline.
public enum DTMFMethod: String, Sendable, Hashable {
    /// An RFC 4733 telephone-event in the RTP stream (RFC 4733 section 2.3).
    case rfc4733
    /// A SIP INFO request with an `application/dtmf-relay` or `application/dtmf` body.
    case sipInfo = "sip-info"
}
