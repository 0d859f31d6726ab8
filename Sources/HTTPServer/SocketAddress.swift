import Foundation
import ThroughlineCore

/// An IPv4 or IPv6 socket address built from a `HostPort`, for `bind` and `connect`.
struct SocketAddress {
    var storage = sockaddr_storage()
    var length: socklen_t
    let family: Int32

    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    init(_ address: HostPort) throws(Invalid) {
        if address.host.contains(":") {
            var a = sockaddr_in6()
            a.sin6_family = sa_family_t(AF_INET6)
            a.sin6_port = in_port_t(address.port.bigEndian)
            guard inet_pton(AF_INET6, address.host, &a.sin6_addr) == 1 else { throw Invalid(description: "'\(address.host)' is not an IPv6 address") }
            family = AF_INET6
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
            withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: withUnsafeBytes(of: a) { UnsafeRawBufferPointer($0) }) }
        } else {
            var a = sockaddr_in()
            a.sin_family = sa_family_t(AF_INET)
            a.sin_port = in_port_t(address.port.bigEndian)
            guard inet_pton(AF_INET, address.host, &a.sin_addr) == 1 else { throw Invalid(description: "'\(address.host)' is not an IPv4 address") }
            family = AF_INET
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
            withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: withUnsafeBytes(of: a) { UnsafeRawBufferPointer($0) }) }
        }
    }

    /// Runs `body` with the address as a `sockaddr` pointer and its length.
    mutating func withSockaddr<T>(_ body: (UnsafeMutablePointer<sockaddr>, inout socklen_t) -> T) -> T {
        var length = self.length
        let result = withUnsafeMutablePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, &length) } }
        self.length = length
        return result
    }

    /// The port, after `getsockname` filled the storage in.
    var port: UInt16 {
        withUnsafeBytes(of: storage) { raw in
            family == AF_INET6 ? UInt16(bigEndian: raw.load(as: sockaddr_in6.self).sin6_port) : UInt16(bigEndian: raw.load(as: sockaddr_in.self).sin_port)
        }
    }
}
