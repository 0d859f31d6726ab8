/// An HTTP/1.1 response. The server always closes the connection after it.
public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// Set for `text/event-stream`: the server streams it after the head instead of a body.
    public var stream: EventStream?

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A Server-Sent Events response.
    public static func events(_ stream: EventStream) -> HTTPResponse {
        var response = HTTPResponse(status: 200, headers: [("Content-Type", "text/event-stream"), ("Cache-Control", "no-store")])
        response.stream = stream
        return response
    }

    /// An HTML page.
    public static func html(_ text: String) -> HTTPResponse {
        HTTPResponse(status: 200, headers: [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store")], body: Array(text.utf8))
    }

    /// A JSON body (already encoded) with its content type.
    public static func json(_ status: Int, _ body: [UInt8], headers: [(name: String, value: String)] = []) -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", "application/json")] + headers, body: body)
    }

    /// A 4xx/5xx with a JSON `{"error": reason}` body, so every refusal says why.
    public static func error(_ status: Int, _ reason: String, headers: [(name: String, value: String)] = []) -> HTTPResponse {
        var escaped = ""
        for scalar in reason.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            default:
                if scalar.value < 0x20 { escaped += "\\u00" + (scalar.value < 16 ? "0" : "") + String(scalar.value, radix: 16) }
                else { escaped.unicodeScalars.append(scalar) }
            }
        }
        return json(status, Array("{\"error\":\"\(escaped)\"}\n".utf8), headers: headers)
    }

    public static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 202: "Accepted"
        case 204: "No Content"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 409: "Conflict"
        case 408: "Request Timeout"
        case 411: "Length Required"
        case 413: "Content Too Large"
        case 414: "URI Too Long"
        case 415: "Unsupported Media Type"
        case 422: "Unprocessable Content"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 503: "Service Unavailable"
        case 505: "HTTP Version Not Supported"
        default: "Status"
        }
    }

    /// The bytes on the wire: status line, headers (with Content-Length and
    /// `Connection: close`), blank line, body.
    public func serialized() -> [UInt8] {
        var head = "HTTP/1.1 \(status) \(Self.reasonPhrase(status))\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        // An event stream has no length: it ends when the connection closes.
        head += stream == nil ? "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n" : "Connection: close\r\n\r\n"
        return Array(head.utf8) + body
    }

    public static func == (a: HTTPResponse, b: HTTPResponse) -> Bool {
        if (a.stream == nil) != (b.stream == nil) { return false }
        return a.status == b.status && a.body == b.body && a.headers.map { "\($0.name):\($0.value)" } == b.headers.map { "\($0.name):\($0.value)" }
    }
}
