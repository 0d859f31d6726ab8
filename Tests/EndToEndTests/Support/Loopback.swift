import Foundation

/// Binding test sockets to 127.0.0.1: the RTP receivers and sink, the webhook receiver, the
/// free-port probe.
enum Loopback {
    /// Binds `fd` to `host` (a loopback address, 127.0.0.1 unless said)`:port` (0: any free
    /// port) and returns the port bound, or nil.
    static func bind(_ fd: Int32, port: UInt16 = 0, host: String = "127.0.0.1") -> UInt16? {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr(host)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        return bound ? UInt16(bigEndian: address.sin_port) : nil
    }
}
