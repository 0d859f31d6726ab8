import Foundation

/// A CRM's webhook endpoint for the tests: an HTTP server on a loopback port that answers
/// every POST 200 (or 500 for the first `failFirst` ones, to see the retries) and keeps each
/// JSON body it got.
final class WebhookReceiver: @unchecked Sendable {
    let port: UInt16
    private let fd: Int32
    private let lock = NSLock()
    private var bodies: [String] = []
    private var failuresLeft: Int
    private var stopped = false

    init(failFirst: Int = 0) throws {
        failuresLeft = failFirst
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        guard let bound = Loopback.bind(fd), listen(fd, 16) == 0 else { close(fd); throw HarnessError("webhook receiver cannot listen") }
        self.fd = fd
        port = bound
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    var events: [[String: Any]] {
        lock.withLock { bodies }.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    func stop() {
        lock.withLock { stopped = true }
        shutdown(fd, Int32(SHUT_RDWR))
    }

    private func acceptLoop() {
        while !lock.withLock({ stopped }) {
            let client = accept(fd, nil, nil)
            guard client >= 0 else { continue }
            var timeout = timeval(tv_sec: 2, tv_usec: 0)
            setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var data = [UInt8]()
            var buffer = [UInt8](repeating: 0, count: 65536)
            // Read the head, then Content-Length bytes of body.
            while true {
                let n = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
                if n <= 0 { break }
                data += buffer[0..<n]
                let text = String(decoding: data, as: UTF8.self)
                if let headEnd = text.range(of: "\r\n\r\n") {
                    let head = text[..<headEnd.lowerBound].lowercased()
                    let length = head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                        .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                    let body = text[headEnd.upperBound...]
                    if body.utf8.count >= length {
                        let fail = lock.withLock { () -> Bool in
                            if failuresLeft > 0 { failuresLeft -= 1; return true }
                            bodies.append(String(body))
                            return false
                        }
                        let answer = fail ? "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                                          : "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        _ = answer.withCString { send(client, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
                        break
                    }
                }
            }
            close(client)
        }
        close(fd)
    }
}
