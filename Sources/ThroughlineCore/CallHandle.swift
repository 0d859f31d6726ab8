/// Names one call for its whole life, across every module.
///
/// Issued by the SIP adapter when a call arrives and never reused while the process runs
/// (unlike pjsua's call slot numbers, which are recycled). Log lines print it as `call=N`.
public struct CallHandle: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: UInt64

    public init(_ rawValue: UInt64) { self.rawValue = rawValue }

    public var description: String { String(rawValue) }

    public static func < (lhs: CallHandle, rhs: CallHandle) -> Bool { lhs.rawValue < rhs.rawValue }
}
