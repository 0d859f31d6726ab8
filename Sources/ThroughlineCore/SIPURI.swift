/// The little of SIP URIs (RFC 3261 section 19.1) the controller needs from pjsua's
/// printed addresses: the user part, which routes and caller records use.
public enum SIPURI {
    /// The user part of a name-addr or addr-spec: `"Bob" <sip:5551000@host;tag=x>` → `5551000`,
    /// `<tel:+15551234>` → `+15551234`. Returns "" when there is no user part.
    public static func userPart(of text: String) -> String {
        var s = Substring(text)
        if let open = s.firstIndex(of: "<") {
            s = s[s.index(after: open)...]
            if let close = s.firstIndex(of: ">") { s = s[..<close] }
        }
        s = s.drop(while: { $0 == " " })
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
}
