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
    /// Where the controller last sent RTP from: its media socket, where keys and talk go.
    private var remote: sockaddr_in?
    private var sentSequence = UInt16.random(in: 0...0x7FFF)
    private var sentTimestamp = UInt32.random(in: 0...0x7FFF_FFFF)
    private let ssrc = UInt32.random(in: 1...UInt32.max)
    private var malformed = 0
    private var running = true
    private let done = DispatchSemaphore(value: 0)

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw HarnessError("socket() failed") }
        guard let bound = Loopback.bind(fd) else { close(fd); throw HarnessError("cannot bind an RTP socket on 127.0.0.1") }
        self.fd = fd
        port = bound
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

    /// The UDP port the controller last sent RTP from (nil before any): which media socket,
    /// so which controller, the media came from.
    var remotePort: UInt16? { lock.withLock { remote.map { UInt16(bigEndian: $0.sin_port) } } }
    var malformedCount: Int { lock.withLock { malformed } }

    private func receiveLoop() {
        var buffer = [UInt8](repeating: 0, count: 2048)
        while lock.withLock({ running }) {
            var from = sockaddr_in()
            var fromLength = socklen_t(MemoryLayout<sockaddr_in>.size)
            let n = buffer.withUnsafeMutableBytes { raw in
                withUnsafeMutablePointer(to: &from) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(fd, raw.baseAddress, raw.count, 0, $0, &fromLength) }
                }
            }
            guard n > 0 else { continue }
            let bytes = Array(buffer[0..<n])
            lock.withLock {
                remote = from  // the latest call's media socket (a socket may serve calls in turn)
                if let packet = Self.parse(bytes, at: Date()) { received.append(packet) } else { malformed += 1 }
            }
        }
        done.signal()
    }

    /// Presses a key as RFC 4733 telephone-events (payload type 101, as the scenarios' SDP
    /// offers) from this socket to the controller's media socket: three packets 20 ms apart,
    /// then the end packet three times (RFC 4733 section 2.5.1.4). Returns when the first
    /// packet left, the moment the key counts from. Throws before any RTP arrived.
    @discardableResult
    func pressKey(_ key: Character, volume: UInt8 = 10) throws -> Date {
        let events: [Character: UInt8] = ["0": 0, "1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "6": 6, "7": 7, "8": 8, "9": 9, "*": 10, "#": 11]
        guard let event = events[key] else { throw HarnessError("no RFC 4733 event for '\(key)'") }
        guard let destination = lock.withLock({ remote }) else { throw HarnessError("no RTP from the controller yet: nowhere to send keys") }
        let timestamp: UInt32 = lock.withLock { sentTimestamp &+= 8000; return sentTimestamp }
        var firstSent = Date()
        for i in 0..<6 {
            let end = i >= 3
            let duration = UInt16(min(i, 3) * 160 + 160)
            let sequence: UInt16 = lock.withLock { sentSequence &+= 1; return sentSequence }
            if i == 0 { firstSent = Date() }
            send(to: destination, marker: i == 0, payloadType: 101, sequence: sequence, timestamp: timestamp,
                 payload: [event, (end ? 0x80 : 0) | (volume & 0x3F), UInt8(duration >> 8), UInt8(duration & 0xFF)])
            if i < 3 { usleep(20_000) }
        }
        return firstSent
    }

    /// Talks: sends `seconds` of a 1 kHz tone as PCMU RTP, 50 packets a second, from this
    /// socket to the controller's media socket (the source of what it last sent here).
    func sendTone(seconds: Double) throws {
        guard lock.withLock({ remote }) != nil else { throw HarnessError("no RTP from the controller yet: nowhere to talk to") }
        let frames = Int(seconds * 50)
        let start = Date()
        for frame in 0..<frames {
            guard let destination = lock.withLock({ remote }) else { break }
            let (sequence, timestamp): (UInt16, UInt32) = lock.withLock {
                sentSequence &+= 1
                sentTimestamp &+= 160
                return (sentSequence, sentTimestamp)
            }
            send(to: destination, marker: frame == 0, payloadType: 0, sequence: sequence, timestamp: timestamp,
                 payload: Audio.tonePayload(frame: frame))
            Thread.sleep(until: start.addingTimeInterval(Double(frame + 1) * 0.02))
        }
    }

    /// One RTP packet (RFC 3550 section 5.1: version 2, no CSRC) from this socket.
    private func send(to destination: sockaddr_in, marker: Bool, payloadType: UInt8, sequence: UInt16, timestamp: UInt32, payload: [UInt8]) {
        func bigEndian(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }
        let packet = [0x80, (marker ? 0x80 : 0) | payloadType, UInt8(sequence >> 8), UInt8(sequence & 0xFF)]
            + bigEndian(timestamp) + bigEndian(ssrc) + payload
        var address = destination
        _ = packet.withUnsafeBytes { raw in
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(fd, raw.baseAddress, raw.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
    }

    /// Waits (bounded) until `condition` holds for the packets received so far.
    @discardableResult
    func wait(timeout: TimeInterval, until condition: ([Packet]) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition(packets) { return true }
            usleep(5_000)
        }
        return condition(packets)
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
