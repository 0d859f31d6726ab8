import Foundation
import ThroughlineCore

/// A minimal HTTP/1.1 client for `throughline reload` (and later `broadcast`) to reach a
/// running controller on its admin address: one request per connection, bounded by a timeout.
public enum HTTPClient {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public static func request(
        _ method: String, _ path: String, to address: HostPort, headers: [(String, String)] = [], body: [UInt8] = [],
        timeout: TimeInterval = 30
    ) throws(Failure) -> (status: Int, body: String) {
        let socketAddress: SocketAddress
        do { socketAddress = try SocketAddress(address) } catch { throw Failure(description: error.description) }
        let fd = socket(socketAddress.family, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let connected = socketAddress.withSockaddr { pointer, length in connect(fd, pointer, length) == 0 }
        guard connected else { throw Failure(description: "cannot connect to \(address): \(String(cString: strerror(errno)))") }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(address)\r\nContent-Length: \(body.count)\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        let request = Array((head + "\r\n").utf8) + body
        var offset = 0
        while offset < request.count {
            let n = request.withUnsafeBytes { send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw Failure(description: "sending to \(address) failed") }
            offset += n
        }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { break }
            guard n > 0 else { throw Failure(description: "no complete answer from \(address) within \(Int(timeout)) s") }
            response += buffer[0..<n]
        }
        let text = String(decoding: response, as: UTF8.self)
        guard let statusLine = text.split(separator: "\r\n", maxSplits: 1).first,
              statusLine.hasPrefix("HTTP/1."), let status = Int(statusLine.split(separator: " ").dropFirst().first ?? "") else {
            throw Failure(description: "\(address) did not answer with HTTP")
        }
        let bodyText = text.range(of: "\r\n\r\n").map { String(text[$0.upperBound...]) } ?? ""
        return (status, bodyText)
    }
}
