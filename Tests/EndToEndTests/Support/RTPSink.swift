import Foundation

/// Where many calls' RTP goes under load: one UDP socket that only counts packets by SSRC
/// (one SSRC per call's stream) on its own thread, with a large receive buffer.
///
/// It drains the socket without blocking, then sleeps 2 ms, as a real receiver's network card
/// coalesces interrupts. On loopback the sender's `sendto` delivers the packet itself, and a
/// receiver asleep in `recv` makes every send also pay for waking it (`sock_def_readable`):
/// 35% of the controller's media thread at 2,400 held calls, a cost no phone on another machine
/// puts on the controller. With nobody waiting on the socket that wake-up is a check of an
/// empty queue. In a window
/// it keeps, per stream, the packets received and the first and last sequence numbers, so
/// loss is measured against what was sent (RFC 3550 §6.4.1's "expected"), whatever the
/// window's edges.
final class RTPSink: @unchecked Sendable {
    let port: UInt16
    private let fd: Int32
    private let lock = NSLock()
    /// Per stream: packets received, first and last extended sequence number.
    struct Stream { var received = 0; var first: Int64 = -1; var last: Int64 = -1
        var expected: Int { first < 0 ? 0 : Int(last - first + 1) } }
    private var counts: [UInt32: Stream] = [:]
    private var counting = false
    private var stopped = false

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        var size: Int32 = 8 << 20
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        guard let bound = Loopback.bind(fd) else { close(fd); throw HarnessError("RTP sink cannot bind") }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        self.fd = fd
        port = bound
        let thread = Thread { [self] in loop() }
        thread.start()
    }

    /// Starts a window: counts from zero.
    func startCounting() { lock.withLock { counts.removeAll(); counting = true } }

    /// Ends the window: packets per stream.
    func stopCounting() -> [UInt32: Stream] { lock.withLock { counting = false; return counts } }

    func stop() { lock.withLock { stopped = true } }

    private func loop() {
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 2048)
        // Headers of one drained batch: SSRC and sequence number.
        var batch: [(ssrc: UInt32, sequence: Int64)] = []
        batch.reserveCapacity(4096)
        while !lock.withLock({ stopped }) {
            batch.removeAll(keepingCapacity: true)
            while batch.count < 4096 {
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n < 0 { break }          // EAGAIN: drained
                guard n >= 12 else { continue }
                let ssrc = UInt32(buffer[8]) << 24 | UInt32(buffer[9]) << 16 | UInt32(buffer[10]) << 8 | UInt32(buffer[11])
                batch.append((ssrc, Int64(UInt16(buffer[2]) << 8 | UInt16(buffer[3]))))
            }
            if !batch.isEmpty { record(batch) }
            if batch.count < 4096 { usleep(2_000) }
        }
    }

    private func record(_ batch: [(ssrc: UInt32, sequence: Int64)]) {
        lock.withLock {
            guard counting else { return }
            for (ssrc, sequence) in batch {
                var s = counts[ssrc] ?? Stream()
                // Extend the 16-bit sequence number across wraps (RFC 3550 appendix A.1).
                var extended = sequence
                if s.last >= 0 {
                    extended = (s.last & ~0xFFFF) | sequence
                    if extended < s.last - 0x8000 { extended += 0x10000 }
                }
                if s.first < 0 { s.first = extended }
                s.last = max(s.last, extended)
                s.received += 1
                counts[ssrc] = s
            }
        }
    }
}
