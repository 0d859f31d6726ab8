/// The little of SIP URIs (RFC 3261 section 19.1) the controller needs from pjsua's
/// printed addresses: the user part, which routes and caller records use.
public enum SIPURI {
    /// The user part of a name-addr or addr-spec: `"Bob" <sip:5551000@host;tag=x>` → `5551000`,
    /// `<tel:+15551234>` → `+15551234`. Returns "" when there is no user part.
    public static func userPart(of text: String) -> String {
        var s = addrSpec(text)
        for scheme in ["sips:", "sip:", "tel:"] where s.lowercased().hasPrefix(scheme) {
            s = s.dropFirst(scheme.count)
            if scheme == "tel:" {
                return String(s.prefix(while: { $0 != ";" && $0 != ">" }))
            }
            guard let at = s.firstIndex(of: "@") else { return "" }
            let user = s[..<at]
            return String(user.prefix(while: { $0 != ":" && $0 != ";" }))  // drop password and params
        }
        return ""
    }

    /// The `host:port` of a SIP URI (`<sip:support@127.0.0.1:5060;transport=udp>` →
    /// `127.0.0.1:5060`); the port defaults to 5060. "" when there is no host.
    public static func hostPort(of text: String) -> String {
        var s = addrSpec(text)
        guard let colon = s.firstIndex(of: ":"), ["sip", "sips"].contains(s[..<colon].lowercased()) else { return "" }
        s = s[s.index(after: colon)...]
        if let at = s.firstIndex(of: "@") { s = s[s.index(after: at)...] }
        let hostPart = s.prefix { $0 != ";" && $0 != "?" && $0 != ">" }
        guard !hostPart.isEmpty else { return "" }
        if hostPart.hasPrefix("[") { return hostPart.contains("]:") ? String(hostPart) : String(hostPart) + ":5060" }
        return hostPart.contains(":") ? String(hostPart) : String(hostPart) + ":5060"
    }

    /// The URI inside a name-addr's angle brackets (or the whole text), leading spaces dropped.
    public static func addrSpec(_ text: String) -> Substring {
        var s = Substring(text)
        if let open = s.firstIndex(of: "<") {
            s = s[s.index(after: open)...]
            if let close = s.firstIndex(of: ">") { s = s[..<close] }
        }
        return s.drop(while: { $0 == " " })
    }
}
