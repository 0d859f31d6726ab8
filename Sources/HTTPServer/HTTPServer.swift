import Foundation
import ThroughlineCore

/// A small HTTP/1.1 server for the admin API and the agent desk: one accept thread, each
/// connection served on a concurrent queue, at most `maxConnections` at once (more are
/// answered 503 and closed), a deadline for each request (408), limits on every size (the
/// parser's), and `Connection: close` after every response. An event stream (Server-Sent
/// Events) moves to a thread of its own, at most `maxStreams` of them.
///
/// `handler` runs on a connection's queue thread, never on the controller thread: it must
/// reach the controller through its event queue or a thread-safe snapshot.
public final class HTTPServer: @unchecked Sendable {
    public typealias Handler = @Sendable (HTTPRequest) -> HTTPResponse
    public typealias Log = @Sendable (_ method: String, _ path: String, _ status: Int, _ milliseconds: Int) -> Void

    public let requestedAddress: HostPort
    public private(set) var boundAddress: HostPort?
    private let handler: Handler
    private let log: Log
    private let maxConnections: Int
    private let requestDeadline: TimeInterval
    private let limits: HTTPRequestParser.Limits
    private let slots: DispatchSemaphore
    /// Event streams open at once (each on its own thread), apart from `maxConnections`.
    public let maxStreams: Int
    private let streamSlots: DispatchSemaphore
    private let queue = DispatchQueue(label: "throughline.http", attributes: .concurrent)
    private let lock = NSLock()
    private var listener: Int32 = -1
    private var stopping = false
    private var acceptThread: Thread?

    public init(address: HostPort, maxConnections: Int = 64, maxStreams: Int = 1024, requestDeadline: TimeInterval = 10,
                limits: HTTPRequestParser.Limits = .init(), log: @escaping Log = { _, _, _, _ in }, handler: @escaping Handler) {
        self.requestedAddress = address
        self.maxConnections = maxConnections
        self.requestDeadline = requestDeadline
        self.limits = limits
        self.slots = DispatchSemaphore(value: maxConnections)
        self.maxStreams = maxStreams
        self.streamSlots = DispatchSemaphore(value: maxStreams)
        self.log = log
        self.handler = handler
    }

    public struct StartError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Binds and listens without accepting yet; returns the address the kernel says the socket
    /// is bound to (`getsockname`: port 0 resolved, and never merely the address asked for). A
    /// client that connects now is held in the kernel's backlog until `serve()`. `throughline run` listens early (a taken port fails
    /// the start before any call is taken) and serves once the controller holds the plan and
    /// its agents, so no early request is answered from an empty board.
    public func listen() throws(StartError) -> HostPort {
        let socketAddress: SocketAddress
        do { socketAddress = try SocketAddress(requestedAddress) } catch { throw StartError(description: error.description) }
        let fd = socket(socketAddress.family, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw StartError(description: "socket: \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        let listening = socketAddress.withSockaddr { pointer, length in bind(fd, pointer, length) == 0 && Glibc.listen(fd, 128) == 0 }
        guard listening, let address = SocketAddress.local(of: fd) else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw StartError(description: "cannot listen on \(requestedAddress): \(reason)")
        }
        lock.withLock {
            listener = fd
            boundAddress = address
        }
        return address
    }

    /// Starts accepting on the socket `listen()` opened (once; later calls do nothing).
    public func serve() {
        let thread: Thread? = lock.withLock {
            guard listener >= 0, acceptThread == nil, !stopping else { return nil }
            let fd = listener
            let thread = Thread { [self] in acceptLoop(fd) }
            thread.name = "http-accept"
            acceptThread = thread
            return thread
        }
        thread?.start()
    }

    /// Stops accepting; connections in progress finish on their own. A socket that was never
    /// served is closed here (the accept loop closes its own).
    public func stop() {
        let unserved: Int32? = lock.withLock {
            stopping = true
            return acceptThread == nil && listener >= 0 ? listener : nil
        }
        if let unserved { close(unserved) }
    }

    private var isStopping: Bool { lock.withLock { stopping } }

    private func acceptLoop(_ fd: Int32) {
        while !isStopping {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 200) > 0 else { continue }
            let client = accept(fd, nil, nil)
            guard client >= 0 else { continue }
            guard slots.wait(timeout: .now()) == .success else {
                // Too many connections: answer at once and close, on this thread (bounded: one write).
                send(client, HTTPResponse.error(503, "too many connections; retry shortly").serialized())
                close(client)
                continue
            }
            queue.async { [self] in
                // An event stream continues on a thread of its own (it owns the socket then).
                if !serve(client) { close(client) }
                slots.signal()
            }
        }
        close(fd)
    }

    /// Reads one request and answers it. Returns true when the answer is an event stream
    /// handed to its own thread, which then owns (and closes) the socket.
    private func serve(_ client: Int32) -> Bool {
        let started = Date()
        let deadline = started.addingTimeInterval(requestDeadline)
        var timeout = timeval(tv_sec: 0, tv_usec: 250_000)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var sendTimeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &sendTimeout, socklen_t(MemoryLayout<timeval>.size))
        var parser = HTTPRequestParser(limits: limits)
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        var response: HTTPResponse
        var method = "-", path = "-"
        read: while true {
            guard Date() < deadline else { response = .error(408, "the request was not complete within \(Int(requestDeadline)) s"); break }
            let n = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            if n == 0 { return false }  // the client closed before sending a request: nothing to answer
            if n < 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { continue }
                return false
            }
            do {
                switch try parser.feed(buffer[0..<n]) {
                case .needMore: continue
                case .complete(let request):
                    method = request.method
                    path = request.path
                    response = handler(request)
                    break read
                }
            } catch {
                response = .error(error.status, error.reason)
                break read
            }
        }
        if let stream = response.stream {
            // Streams have their own, larger limit: a desk per agent must not starve the API.
            guard streamSlots.wait(timeout: .now()) == .success else {
                stream.cancel()
                response = .error(503, "too many event streams open (\(maxStreams)); retry shortly")
                send(client, response.serialized())
                log(method, path, response.status, Int(Date().timeIntervalSince(started) * 1000))
                return false
            }
            guard send(client, response.serialized()) else { stream.cancel(); streamSlots.signal(); return false }
            log(method, path, response.status, Int(Date().timeIntervalSince(started) * 1000))
            let thread = Thread { [self] in
                streamEvents(stream, to: client)
                close(client)
                streamSlots.signal()
            }
            thread.name = "http-stream"
            thread.start()
            return true
        }
        send(client, response.serialized())
        log(method, path, response.status, Int(Date().timeIntervalSince(started) * 1000))
        return false
    }

    /// Server-Sent Events: each chunk as it comes, a comment every 15 s so proxies and the
    /// client see the connection alive, until the client goes, the stream ends or the server
    /// stops. The connection slot is held meanwhile (bounded by `maxConnections`).
    private func streamEvents(_ stream: EventStream, to client: Int32) {
        defer { stream.cancel() }
        _ = send(client, Array(": stream open\n\n".utf8))
        var quiet = Date()
        while !isStopping && !stream.isFinished {
            if let text = stream.next(timeout: 1) {
                guard send(client, Array(text.utf8)) else { return }
                quiet = Date()
            } else if Date().timeIntervalSince(quiet) >= 15 {
                guard send(client, Array(": keep-alive\n\n".utf8)) else { return }
                quiet = Date()
            }
            // A client that closed shows as readable with 0 bytes.
            var poller = pollfd(fd: client, events: Int16(POLLIN), revents: 0)
            if poll(&poller, 1, 0) > 0 {
                var byte: UInt8 = 0
                if recv(client, &byte, 1, Int32(MSG_DONTWAIT)) == 0 { return }
            }
        }
    }

    @discardableResult
    private func send(_ client: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(client, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }
}
