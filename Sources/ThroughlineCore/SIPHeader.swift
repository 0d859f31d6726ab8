/// A header the controller adds to an INVITE it sends (context for the agent's phone and
/// screen: `X-Throughline-Reference` with references, `Call-Info` with screen pops).
public struct SIPHeader: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    /// RFC 3261 section 25.1: a header name is a token; a value has no line breaks. The
    /// adapter refuses anything else rather than let it split the message.
    public var isWellFormed: Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { HTTPRequestParser.isTokenScalar($0) }
            && !value.unicodeScalars.contains { $0 == "\r" || $0 == "\n" || $0 == "\0" }
    }
}
