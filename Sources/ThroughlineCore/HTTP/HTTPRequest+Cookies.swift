extension HTTPRequest {
    /// The value of cookie `name` from the `Cookie` header (RFC 6265 §5.4: `a=1; b=2`), if sent.
    public func cookie(_ name: String) -> String? {
        cookies.first { $0.name == name }?.value
    }

    /// Every cookie the request carries, in order.
    public var cookies: [(name: String, value: String)] {
        guard let header = header("cookie") else { return [] }
        return header.split(separator: ";").compactMap { pair in
            let kv = pair.split(separator: "=", maxSplits: 1).map { String($0).trimmingScalars(Self.optionalWhitespace) }
            return kv.count == 2 && !kv[0].isEmpty ? (kv[0], kv[1]) : nil
        }
    }
}
