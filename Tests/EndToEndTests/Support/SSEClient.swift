import Foundation

/// A Server-Sent Events reader on a plain socket: what a browser's EventSource does, with
/// each event's arrival time kept (for "before the agent's 200 OK"). Reads on its own thread
/// until `stop()`.
final class SSEClient: @unchecked Sendable {
    struct Event {
        let name: String
        let data: String
        let arrival: Date
        var json: [String: Any]? { try? JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any] }
    }

    private let fd: Int32
    private let lock = NSLock()
    private var received: [Event] = []
    private var stopped = false
    let status: Int

    /// Connects to `host:port` and GETs `path`; throws unless the answer is 200 text/event-stream.
    init(host: String = "127.0.0.1", port: UInt16, path: String) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        inet_pton(AF_INET, host, &address.sin_addr)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        guard connected else { close(fd); throw HarnessError("cannot connect to \(host):\(port)") }
        self.fd = fd
        let request = "GET \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nAccept: text/event-stream\r\n\r\n"
        _ = request.withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        // The head first.
        var head = [UInt8]()
        let deadline = Date().addingTimeInterval(5)
        var byte: UInt8 = 0
        while Date() < deadline, !head.ends(with: Array("\r\n\r\n".utf8)) {
            if recv(fd, &byte, 1, 0) == 1 { head.append(byte) }
        }
        let text = String(decoding: head, as: UTF8.self)
        status = Int(text.split(separator: " ").dropFirst().first ?? "") ?? 0
        _ = self.fd
        guard status == 200, text.lowercased().contains("content-type: text/event-stream") else {
            close(fd)
            throw HarnessError("not an event stream: \(text)")
        }
        let thread = Thread { [self] in readLoop() }
        thread.start()
    }

    var events: [Event] { lock.withLock { received } }

    /// Waits (bounded) for an event named `name` for which `condition` holds.
    func wait(for name: String, timeout: TimeInterval, where condition: (Event) -> Bool = { _ in true }) -> Event? {
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            if let event = events.first(where: { $0.name == name && condition($0) }) { return event }
            usleep(5_000)
        } while Date() < deadline
        return nil
    }

    func stop() {
        lock.withLock { stopped = true }
    }

    private func readLoop() {
        defer { close(fd) }
        var pending = ""
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !lock.withLock({ stopped }) {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { return }
            if n < 0 { continue }
            let now = Date()
            pending += String(decoding: buffer[0..<n], as: UTF8.self)
            while let end = pending.range(of: "\n\n") {
                let block = String(pending[..<end.lowerBound])
                pending = String(pending[end.upperBound...])
                var name = "message", data: [String] = []
                for line in block.split(separator: "\n") {
                    if line.hasPrefix("event: ") { name = String(line.dropFirst(7)) }
                    if line.hasPrefix("data: ") { data.append(String(line.dropFirst(6))) }
                }
                guard !data.isEmpty else { continue }  // comments (keep-alives)
                let event = Event(name: name, data: data.joined(separator: "\n"), arrival: now)
                lock.withLock { received.append(event) }
            }
        }
    }
}

private extension Array where Element == UInt8 {
    func ends(with suffix: [UInt8]) -> Bool { count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix }
}
