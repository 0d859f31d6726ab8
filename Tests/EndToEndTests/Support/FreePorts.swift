import Foundation

/// Finds free UDP ports on loopback for SIPp's media sockets and the controller's RTP range.
enum FreePorts {
    /// The first port of `count` consecutive free UDP ports on 127.0.0.1, starting at an even
    /// number (RTP convention). Checked by binding each; another process may still take one
    /// before it is used, which the tests' retries of nothing do not hide: they fail loudly.
    /// The default range is below the kernel's ephemeral ports (32768 and up), which any
    /// outgoing socket may take at any moment, and apart from the controller's RTP (20000+).
    ///
    /// A port is free when probed but is bound later, by another process: two probes in one
    /// test (an agent's SIP port, then another SIPp's media block) could pick the same free
    /// port, and the second SIPp then dies with exit 254 (cannot bind). So no port is handed
    /// out twice within a test process (the last `memory` ports are remembered).
    static func udpBlock(count: Int, in range: ClosedRange<Int> = 10000...19900) throws -> UInt16 {
        for _ in 0..<200 {
            let base = Int.random(in: range) & ~1
            let block = base..<(base + count)
            if claim(block, probe: { isFree($0) }) { return UInt16(base) }
        }
        throw HarnessError("no block of \(count) free UDP ports found on 127.0.0.1")
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var handedOut: [Int] = []
    nonisolated(unsafe) private static var handedOutSet: Set<Int> = []
    private static let memory = 2_000

    /// Takes `block` if none of it was handed out before and `probe` finds each port free.
    private static func claim(_ block: Range<Int>, probe: (Int) -> Bool) -> Bool {
        lock.withLock {
            guard !block.contains(where: handedOutSet.contains), block.allSatisfy(probe) else { return false }
            handedOut += block
            handedOutSet.formUnion(block)
            if handedOut.count > memory {
                let old = handedOut.prefix(handedOut.count - memory)
                handedOutSet.subtract(old)
                handedOut.removeFirst(old.count)
            }
            return true
        }
    }

    static func isFree(_ port: Int, host: String = "127.0.0.1") -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return Loopback.bind(fd, port: UInt16(port), host: host) != nil
    }

    /// A free TCP port on 127.0.0.1 in `range` (below the ephemeral ports, as above), for a
    /// listener a test names explicitly rather than asking for port 0.
    static func tcpPort(in range: ClosedRange<Int> = 10000...19900) throws -> UInt16 {
        for _ in 0..<200 {
            let port = Int.random(in: range)
            let free = claim(port..<(port + 1)) { port in
                let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
                guard fd >= 0 else { return false }
                defer { close(fd) }
                return Loopback.bind(fd, port: UInt16(port)) != nil
            }
            if free { return UInt16(port) }
        }
        throw HarnessError("no free TCP port found on 127.0.0.1")
    }
}
