/// Reads an HTTP/1.1 request from bytes as they arrive, within limits, and says exactly why
/// a request is refused (the status to answer with). Pure: the server feeds it bytes.
///
/// Supported: request line, headers, a `Content-Length` body. Refused with a reason:
/// malformed lines (400), HTTP versions other than 1.0/1.1 (505), chunked bodies (501),
/// oversized targets (414), headers (431) or bodies (413).
public struct HTTPRequestParser: Sendable {
    public struct Limits: Sendable {
        public var maxHeaderBytes = 16 * 1024
        public var maxTargetBytes = 4 * 1024
        public var maxBodyBytes = 1024 * 1024
        public var maxHeaders = 100
        public init() {}
    }

    public struct Refusal: Error, Equatable, Sendable {
        public var status: Int
        public var reason: String
    }

    public enum Progress: Equatable, Sendable {
        case needMore
        case complete(HTTPRequest)
    }

    public let limits: Limits
    private var buffer: [UInt8] = []
    private var head: HTTPRequest?
    private var bodyLength = 0

    public init(limits: Limits = Limits()) { self.limits = limits }

    /// Adds received bytes; returns the request once complete, or throws the refusal.
    public mutating func feed(_ bytes: some Sequence<UInt8>) throws(Refusal) -> Progress {
        buffer.append(contentsOf: bytes)
        if head == nil {
            guard let end = Self.headerEnd(in: buffer) else {
                if buffer.count > limits.maxHeaderBytes { throw Refusal(status: 431, reason: "request header larger than \(limits.maxHeaderBytes) bytes") }
                return .needMore
            }
            guard end <= limits.maxHeaderBytes else { throw Refusal(status: 431, reason: "request header larger than \(limits.maxHeaderBytes) bytes") }
            head = try parseHead(Array(buffer[0..<end]))
            buffer.removeFirst(end + 4)
        }
        guard var request = head else { return .needMore }
        if buffer.count < bodyLength { return .needMore }
        request.body = Array(buffer.prefix(bodyLength))
        return .complete(request)
    }

    static func headerEnd(in bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for i in 0...(bytes.count - 4) where bytes[i] == 13 && bytes[i + 1] == 10 && bytes[i + 2] == 13 && bytes[i + 3] == 10 {
            return i
        }
        return nil
    }

    private mutating func parseHead(_ bytes: [UInt8]) throws(Refusal) -> HTTPRequest {
        guard !bytes.contains(0) else { throw Refusal(status: 400, reason: "NUL byte in the request header") }
        // Lines end in CRLF; a bare LF is tolerated (RFC 9112 section 2.2), a bare CR is not.
        // Split on bytes: as Swift Characters, "\r\n" is one grapheme and would not split.
        var lines = bytes.split(separator: 10, omittingEmptySubsequences: false).map { line -> Substring in
            let trimmed = line.last == 13 ? line.dropLast() : line[...]
            return Substring(String(decoding: trimmed, as: UTF8.self))
        }
        guard !lines.isEmpty else { throw Refusal(status: 400, reason: "empty request") }
        let requestLine = lines.removeFirst()
        let parts = requestLine.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw Refusal(status: 400, reason: "malformed request line (expected METHOD TARGET HTTP/1.1)")
        }
        let method = String(parts[0])
        guard method.unicodeScalars.allSatisfy({ ($0 >= "A" && $0 <= "Z") || $0 == "-" }) else {
            throw Refusal(status: 400, reason: "malformed method")
        }
        let target = String(parts[1])
        guard target.utf8.count <= limits.maxTargetBytes else { throw Refusal(status: 414, reason: "request target longer than \(limits.maxTargetBytes) bytes") }
        guard target.hasPrefix("/"), target.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
            throw Refusal(status: 400, reason: "request target must be an absolute path of visible ASCII")
        }
        let version = parts[2]
        guard version == "HTTP/1.1" || version == "HTTP/1.0" else {
            if version.hasPrefix("HTTP/") { throw Refusal(status: 505, reason: "only HTTP/1.1 is served") }
            throw Refusal(status: 400, reason: "malformed HTTP version")
        }
        var headers: [(name: String, value: String)] = []
        for line in lines {
            if line.isEmpty { continue }
            guard headers.count < limits.maxHeaders else { throw Refusal(status: 431, reason: "more than \(limits.maxHeaders) header fields") }
            guard let colon = line.firstIndex(of: ":") else { throw Refusal(status: 400, reason: "header line without ':'") }
            let name = line[..<colon]
            guard !name.isEmpty, name.unicodeScalars.allSatisfy({ Self.isTokenScalar($0) }) else {
                throw Refusal(status: 400, reason: "malformed header name")
            }
            let value = line[line.index(after: colon)...].trimmingScalars(HTTPRequest.optionalWhitespace)
            guard !value.unicodeScalars.contains(where: { $0 == "\r" || ($0.value < 0x20 && $0 != "\t") }) else {
                throw Refusal(status: 400, reason: "control character in header '\(name)'")
            }
            headers.append((name.lowercased(), value))
        }
        if version == "HTTP/1.1", !headers.contains(where: { $0.name == "host" }) {
            throw Refusal(status: 400, reason: "HTTP/1.1 request without Host header")
        }
        if headers.contains(where: { $0.name == "transfer-encoding" }) {
            throw Refusal(status: 501, reason: "chunked or encoded request bodies are not supported; send Content-Length")
        }
        let lengths = headers.filter { $0.name == "content-length" }.map(\.value)
        if let first = lengths.first {
            guard Set(lengths).count == 1, !first.isEmpty, first.utf8.count <= 12, first.unicodeScalars.allSatisfy({ $0 >= "0" && $0 <= "9" }),
                  let n = Int(first) else {
                throw Refusal(status: 400, reason: "malformed Content-Length")
            }
            guard n <= limits.maxBodyBytes else { throw Refusal(status: 413, reason: "request body larger than \(limits.maxBodyBytes) bytes") }
            bodyLength = n
        }
        let (path, query) = target.firstIndex(of: "?").map { (String(target[..<$0]), String(target[target.index(after: $0)...])) } ?? (target, nil)
        return HTTPRequest(method: method, path: path, query: query, headers: headers)
    }

    public static func isTokenScalar(_ s: Unicode.Scalar) -> Bool {
        (s >= "a" && s <= "z") || (s >= "A" && s <= "Z") || (s >= "0" && s <= "9") || "!#$%&'*+-.^_`|~".unicodeScalars.contains(s)
    }
}
