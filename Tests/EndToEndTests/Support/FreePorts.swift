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
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }
}
