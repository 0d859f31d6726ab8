import Foundation

extension Date {
    /// Whole milliseconds since 1970 (rounded down): log timestamps and the times agents'
    /// registrations end, on the wall clock.
    public var unixMilliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded(.down)) }
}
