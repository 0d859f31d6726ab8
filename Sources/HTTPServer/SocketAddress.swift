import Foundation
import ThroughlineCore

/// An IPv4 or IPv6 socket address built from a `HostPort`, for `bind` and `connect`, and read
/// back from the kernel (`getsockname`) to say where a socket really is.
///
/// Every byte of the `sockaddr` is written into `storage` inside the closure that lends its
/// memory (`storeBytes`): no pointer to a local outlives the call that made it. An earlier
/// version copied from `withUnsafeBytes(of: a) { UnsafeRawBufferPointer($0) }`, a pointer that
/// escaped its closure; the release build then bound 0.0.0.0 on a random port.
struct SocketAddress {
    private(set) var storage = sockaddr_storage()
    private(set) var length: socklen_t
    var family: Int32 { Int32(storage.ss_family) }

    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    init(_ address: HostPort) throws(Invalid) {
        if address.host.contains(":") {
            var a = sockaddr_in6()
            a.sin6_family = sa_family_t(AF_INET6)
            a.sin6_port = in_port_t(address.port.bigEndian)
            guard inet_pton(AF_INET6, address.host, &a.sin6_addr) == 1 else { throw Invalid(description: "'\(address.host)' is not an IPv6 address") }
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
            withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: a, as: sockaddr_in6.self) }
        } else {
            var a = sockaddr_in()
            a.sin_family = sa_family_t(AF_INET)
            a.sin_port = in_port_t(address.port.bigEndian)
            guard inet_pton(AF_INET, address.host, &a.sin_addr) == 1 else { throw Invalid(description: "'\(address.host)' is not an IPv4 address") }
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
            withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: a, as: sockaddr_in.self) }
        }
    }

    /// The address socket `fd` is bound to, as the kernel says (`getsockname`); nil if it
    /// cannot say. Called by the HTTP server after `listen`, on the thread that started it.
    static func local(of fd: Int32) -> HostPort? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let ok = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) == 0 }
        }
        return ok ? hostPort(of: storage) : nil
    }

    /// Runs `body` with the address as a `sockaddr` pointer and its length; the pointer is
    /// valid only inside `body`.
    func withSockaddr<T>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> T) -> T {
        withUnsafePointer(to: storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, length) } }
    }

    /// Numeric host and port of an IPv4 or IPv6 `sockaddr_storage`, nil for another family.
    private static func hostPort(of storage: sockaddr_storage) -> HostPort? {
        withUnsafeBytes(of: storage) { raw -> HostPort? in
            switch Int32(storage.ss_family) {
            case AF_INET:
                var a = raw.load(as: sockaddr_in.self)
                return numericHost(AF_INET, &a.sin_addr).map { HostPort(host: $0, port: UInt16(bigEndian: a.sin_port)) }
            case AF_INET6:
                var a = raw.load(as: sockaddr_in6.self)
                return numericHost(AF_INET6, &a.sin6_addr).map { HostPort(host: $0, port: UInt16(bigEndian: a.sin6_port)) }
            default:
                return nil
            }
        }
    }

    /// inet_ntop into a buffer read before the buffer's closure ends.
    private static func numericHost(_ family: Int32, _ address: UnsafeRawPointer) -> String? {
        var text = [UInt8](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        return text.withUnsafeMutableBufferPointer { buffer -> String? in
            let written = buffer.withMemoryRebound(to: CChar.self) { inet_ntop(family, address, $0.baseAddress, socklen_t($0.count)) != nil }
            guard written, let end = buffer.firstIndex(of: 0) else { return nil }
            return String(decoding: buffer[..<end], as: UTF8.self)
        }
    }
}
