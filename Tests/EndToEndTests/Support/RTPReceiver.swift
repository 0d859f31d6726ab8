import Foundation

/// A UDP socket on 127.0.0.1 standing in for a caller's media port: it keeps every RTP
/// packet that arrives (RFC 3550 section 5.1 header, payload) with its arrival time.
///
/// A background thread receives; the test's thread reads `packets` after `stop()`.
final class RTPReceiver: @unchecked Sendable {
    struct Packet {
        let arrival: Date
        let payloadType: UInt8
        let sequence: UInt16
        let timestamp: UInt32
        let ssrc: UInt32
        let payload: [UInt8]
    }

    let port: UInt16
    private let fd: Int32
    private let lock = NSLock()
    private var received: [Packet] = []
    private var malformed = 0
    private var running = true
    private let done = DispatchSemaphore(value: 0)

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw HarnessError("socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Bool in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { close(fd); throw HarnessError("cannot bind an RTP socket on 127.0.0.1") }
        self.fd = fd
        port = UInt16(bigEndian: address.sin_port)
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let thread = Thread { [self] in receiveLoop() }
        thread.start()
    }

    deinit { stop() }

    /// Stops receiving and closes the socket; safe to call twice.
    func stop() {
        let wasRunning = lock.withLock { () -> Bool in
            defer { running = false }
            return running
        }
        guard wasRunning else { return }
        done.wait()
        close(fd)
    }

    var packets: [Packet] { lock.withLock { received } }
    var malformedCount: Int { lock.withLock { malformed } }

    private func receiveLoop() {
        var buffer = [UInt8](repeating: 0, count: 2048)
        while lock.withLock({ running }) {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { continue }
            let bytes = Array(buffer[0..<n])
            lock.withLock {
                if let packet = Self.parse(bytes, at: Date()) { received.append(packet) } else { malformed += 1 }
            }
        }
        done.signal()
    }

    /// RFC 3550 section 5.1: version 2, CSRC count and extension skipped, padding removed.
    static func parse(_ bytes: [UInt8], at arrival: Date) -> Packet? {
        guard bytes.count >= 12, bytes[0] >> 6 == 2 else { return nil }
        let csrcCount = Int(bytes[0] & 0x0F)
        var offset = 12 + 4 * csrcCount
        if bytes[0] & 0x10 != 0 {  // header extension
            guard bytes.count >= offset + 4 else { return nil }
            offset += 4 + 4 * (Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3]))
        }
        var end = bytes.count
        if bytes[0] & 0x20 != 0, let padding = bytes.last { end -= Int(padding) }
        guard offset <= end else { return nil }
        func u32(_ i: Int) -> UInt32 { bytes[i..<(i + 4)].reduce(0) { $0 << 8 | UInt32($1) } }
        return Packet(
            arrival: arrival, payloadType: bytes[1] & 0x7F, sequence: UInt16(bytes[2]) << 8 | UInt16(bytes[3]),
            timestamp: u32(4), ssrc: u32(8), payload: Array(bytes[offset..<end]))
    }
}
