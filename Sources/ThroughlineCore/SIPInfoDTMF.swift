/// Keys carried in SIP INFO bodies: `application/dtmf-relay` (`Signal=5`, the common form,
/// also decoded by pjsua itself) and `application/dtmf` (the body is the key, `5`).
public enum SIPInfoDTMF {
    /// The key an INFO body carries, or nil when the content type is not a DTMF one or the
    /// body names no valid key. Content types compare case-insensitively.
    public static func digit(contentType: String, body: String) -> DTMFDigit? {
        let type = contentType.lowercased().split(separator: ";").first.map { $0.trimmingCharacters() } ?? ""
        switch type {
        case "application/dtmf":
            let text = body.trimmingCharacters()
            guard text.count == 1, let c = text.first else {
                // Some phones send the RFC 4733 event number instead (10 is *, 11 is #).
                return Int(text).flatMap { DTMFDigit(eventCode: $0) }
            }
            return DTMFDigit(c) ?? Int(text).flatMap { DTMFDigit(eventCode: $0) }
        case "application/dtmf-relay":
            for line in body.unicodeScalars.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).map({ String(String.UnicodeScalarView($0)) }) {
                let parts = line.split(separator: "=", maxSplits: 1)
                guard parts.count == 2, parts[0].trimmingCharacters().lowercased() == "signal" else { continue }
                let value = parts[1].trimmingCharacters()
                if value.count == 1, let c = value.first, let d = DTMFDigit(c) { return d }
                return Int(value).flatMap { DTMFDigit(eventCode: $0) }
            }
            return nil
        default:
            return nil
        }
    }
}

extension StringProtocol {
    /// Trims spaces, tabs and line ends, by scalar: as a Character, "\r\n" is one grapheme.
    fileprivate func trimmingCharacters() -> String {
        var s = Substring(self).unicodeScalars
        let blank: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        while let f = s.first, blank(f) { s.removeFirst() }
        while let l = s.last, blank(l) { s.removeLast() }
        return String(s)
    }
}
