import Foundation

/// Finds free UDP ports on loopback for SIPp's media sockets and the controller's RTP range.
enum FreePorts {
    /// The first port of `count` consecutive free UDP ports on 127.0.0.1, starting at an even
    /// number (RTP convention). Checked by binding each; another process may still take one
    /// before it is used, which the tests' retries of nothing do not hide: they fail loudly.
    /// The default range is below the kernel's ephemeral ports (32768 and up), which any
    /// outgoing socket may take at any moment, and apart from the controller's RTP (20000+).
    static func udpBlock(count: Int, in range: ClosedRange<Int> = 10000...19900) throws -> UInt16 {
        for _ in 0..<200 {
            let base = Int.random(in: range) & ~1
            if (base..<(base + count)).allSatisfy(isFree) { return UInt16(base) }
        }
        throw HarnessError("no block of \(count) free UDP ports found on 127.0.0.1")
    }

    static func isFree(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return Loopback.bind(fd, port: UInt16(port)) != nil
    }
}
