extension HostPort {
    /// Whether `text` is an IP address as a transport reports a packet's source: IPv4 in
    /// dotted decimal (`10.0.0.5`) or IPv6 in hex groups (`::1`, `fd00::5`), no brackets, no
    /// port, no name.
    public static func isIPAddress(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        if !text.contains(":") {
            return parts.count == 4 && parts.allSatisfy { part in
                (1...3).contains(part.count) && part.allSatisfy(\.isASCIIDigit) && Int(part)! <= 255
            }
        }
        let scalars = Array(text.unicodeScalars)
        let colons = scalars.filter { $0 == ":" }.count
        let doubles = zip(scalars, scalars.dropFirst()).filter { $0 == ":" && $1 == ":" }.count
        return (2...7).contains(colons) && doubles <= 1
            && text.unicodeScalars.allSatisfy { $0.properties.isASCIIHexDigit || $0 == ":" || $0 == "." }
    }
}

private extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
