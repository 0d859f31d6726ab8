/// Whether calls' media is encrypted with SRTP (RFC 3711, keys by SDES, RFC 4568): the plan's
/// `srtp` setting for callers, and an agent's own `srtp` line for the legs that ring them.
public enum SRTPMode: String, Sendable, Hashable, CaseIterable {
    /// Plain RTP only; an offer that insists on SRTP is refused with 488.
    case off
    /// SRTP when the other side offers or accepts it, plain RTP otherwise.
    case optional
    /// SRTP or no call: a caller offering plain RTP is refused with 488 Not Acceptable Here.
    case mandatory
}
