import Foundation

/// The kernel's own table of a process's sockets: what `ss -ltnup` shows, read from
/// `/proc/PID/fd` (which socket inodes the process holds) and `/proc/net/{tcp,tcp6,udp,udp6}`
/// (where each inode is bound). What a firewall and a port scanner see, whatever the process
/// logged about itself.
struct SocketTable {
    struct Entry: Equatable, CustomStringConvertible {
        enum Proto: String { case tcp, udp }
        let proto: Proto
        /// Dotted IPv4 or RFC 5952-ish IPv6 text (`127.0.0.1`, `0.0.0.0`, `::1`, `::`).
        let host: String
        let port: UInt16
        /// TCP state 0A (LISTEN); UDP sockets have no listen state.
        let listening: Bool

        var address: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
        var description: String { "\(proto.rawValue) \(address)\(listening ? " LISTEN" : "")" }
        /// Bound to every interface (`0.0.0.0` or `::`): reachable from the whole network.
        var isWildcard: Bool { host == "0.0.0.0" || host == "::" }
    }

    let entries: [Entry]

    /// The sockets process `pid` holds now.
    init(pid: Int32) throws {
        let fdFolder = "/proc/\(pid)/fd"
        var inodes: Set<String> = []
        for name in try FileManager.default.contentsOfDirectory(atPath: fdFolder) {
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "\(fdFolder)/\(name)"),
                  target.hasPrefix("socket:[") else { continue }
            inodes.insert(String(target.dropFirst("socket:[".count).dropLast()))
        }
        var entries: [Entry] = []
        for (file, proto) in [("tcp", Entry.Proto.tcp), ("tcp6", .tcp), ("udp", .udp), ("udp6", .udp)] {
            guard let text = try? String(contentsOfFile: "/proc/net/\(file)", encoding: .utf8) else { continue }
            for line in text.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ", omittingEmptySubsequences: true)
                // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode …
                guard fields.count > 9, inodes.contains(String(fields[9])) else { continue }
                let local = fields[1].split(separator: ":")
                guard local.count == 2, let port = UInt16(local[1], radix: 16), let host = Self.host(hex: String(local[0])) else { continue }
                entries.append(Entry(proto: proto, host: host, port: port, listening: proto == .tcp && fields[3] == "0A"))
            }
        }
        self.entries = entries
    }

    var tcpListeners: [Entry] { entries.filter { $0.proto == .tcp && $0.listening } }
    var udpSockets: [Entry] { entries.filter { $0.proto == .udp } }

    /// `/proc/net` prints each 32-bit word of the address as the native integer the kernel
    /// holds (network-order bytes read in host order): the word's bytes in memory are the
    /// address's bytes. 8 hex digits for IPv4, 32 for IPv6.
    static func host(hex: String) -> String? {
        guard hex.count == 8 || hex.count == 32 else { return nil }
        var bytes: [UInt8] = []
        for offset in stride(from: 0, to: hex.count, by: 8) {
            let start = hex.index(hex.startIndex, offsetBy: offset)
            guard let word = UInt32(hex[start..<hex.index(start, offsetBy: 8)], radix: 16) else { return nil }
            withUnsafeBytes(of: word) { bytes += $0 }
        }
        switch bytes.count {
        case 4:
            return bytes.map(String.init).joined(separator: ".")
        case 16:
            var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            let ok = bytes.withUnsafeBytes { raw in inet_ntop(AF_INET6, raw.baseAddress, &text, socklen_t(text.count)) != nil }
            return ok ? String(decoding: text.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self) : nil
        default:
            return nil
        }
    }
}
