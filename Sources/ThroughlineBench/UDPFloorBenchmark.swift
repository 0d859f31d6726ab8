import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The kernel's floor under the held-IVR figures: what sending the same RTP packets costs a
/// thread that does nothing else. One socket per stream (as pjmedia has one per call), one
/// 172-byte packet (an RTP header and 20 ms of G.711) per stream every 20 ms, to receiving
/// sockets on loopback that another thread drains from `poll`, as the bench's receivers do.
/// The sending thread's CPU time (`CLOCK_THREAD_CPUTIME_ID`) includes, on loopback, the
/// receiver's input path and its wake-ups, as the controller's does in the held bench.
///
/// Two ways to send: `sendto` with the address on an unconnected socket (what pjmedia's UDP
/// transport does: a route lookup per packet) and `send` on a connected one.
///
/// Called from `main.swift` on the main thread; starts and joins its own two threads.
enum UDPFloorBenchmark {
    struct Result {
        let streams: Int
        let connected: Bool
        let seconds: Double
        /// The sending thread's CPU, in percent of one core.
        let senderCPU: Double
        let sent: Int
        let received: Int
    }

    static func run(streams: Int, connected: Bool, seconds: Double) -> Result? {
        var receivers: [Int32] = [], senders: [Int32] = [], targets: [sockaddr_in] = []
        defer { for fd in receivers + senders { close(fd) } }
        for _ in 0..<streams {
            guard let (fd, address) = boundSocket() else { return nil }
            receivers.append(fd)
            targets.append(address)
            guard let (sender, _) = boundSocket() else { return nil }
            senders.append(sender)
            if connected {
                var target = address
                let status = withUnsafePointer(to: &target) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(sender, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
                }
                guard status == 0 else { return nil }
            }
        }
        for fd in receivers { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }

        let receiving = receivers
        let stop = Locked(false)
        let received = Locked(0)
        let drain = Thread {
            var fds = receiving.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            var buffer = [UInt8](repeating: 0, count: 2048)
            var count = 0
            while !stop.load() {
                guard poll(&fds, nfds_t(fds.count), 100) > 0 else { continue }
                for i in fds.indices where fds[i].revents != 0 {
                    while recv(fds[i].fd, &buffer, buffer.count, 0) > 0 { count += 1 }
                }
            }
            received.store(count)
        }
        drain.start()

        var packet = [UInt8](repeating: 0xFF, count: 172)
        packet[0] = 0x80
        var sent = 0
        let ticks = Int(seconds * 50)
        let cpuStart = threadCPU()
        let start = DispatchTime.now().uptimeNanoseconds
        for tick in 0..<ticks {
            let due = start + UInt64(tick) * 20_000_000
            let now = DispatchTime.now().uptimeNanoseconds
            if due > now { usleep(UInt32((due - now) / 1000)) }
            packet[2] = UInt8(truncatingIfNeeded: tick >> 8)
            packet[3] = UInt8(truncatingIfNeeded: tick)
            for i in 0..<streams {
                let n: Int
                if connected {
                    n = send(senders[i], &packet, packet.count, 0)
                } else {
                    n = withUnsafePointer(to: &targets[i]) {
                        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                            sendto(senders[i], &packet, packet.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                        }
                    }
                }
                if n > 0 { sent += 1 }
            }
        }
        let cpu = threadCPU() - cpuStart
        let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        usleep(200_000)
        stop.store(true)
        for _ in 0..<200 where !drain.isFinished { usleep(10_000) }
        return Result(streams: streams, connected: connected, seconds: wall, senderCPU: cpu / wall * 100,
                      sent: sent, received: received.load())
    }

    /// A UDP socket bound to a free loopback port, and its address.
    private static func boundSocket() -> (Int32, sockaddr_in)? {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else { close(fd); return nil }
        return (fd, address)
    }

    /// This thread's CPU time in seconds.
    private static func threadCPU() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// A value two threads share, behind a lock (the bench needs nothing finer).
    final class Locked<Value>: @unchecked Sendable {
        private let lock = NSLock()
        private var value: Value
        init(_ value: Value) { self.value = value }
        func load() -> Value { lock.withLock { value } }
        func store(_ new: Value) { lock.withLock { value = new } }
    }
}
