/// An HTTP/1.1 request as the server's router sees it (RFC 9112).
public struct HTTPRequest: Sendable, Equatable {
    public var method: String
    /// The path without the query, percent-decoding not applied (routes use plain ASCII).
    public var path: String
    public var query: String?
    /// Header names lower-cased; repeated headers keep every value in order.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(method: String, path: String, query: String? = nil, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// RFC 9110 section 5.6.3: spaces and tabs around a field value.
    static let optionalWhitespace: Set<Unicode.Scalar> = [" ", "\t"]

    /// The first value of a header (`name` in any case).
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name == lower }?.value
    }

    /// The token of `Authorization: Bearer TOKEN`, if any.
    public var bearerToken: String? {
        guard let value = header("authorization") else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].trimmingScalars(Self.optionalWhitespace)
    }

    public static func == (a: HTTPRequest, b: HTTPRequest) -> Bool {
        a.method == b.method && a.path == b.path && a.query == b.query && a.body == b.body
            && a.headers.map { "\($0.name):\($0.value)" } == b.headers.map { "\($0.name):\($0.value)" }
    }
}
