/// Keys carried in SIP INFO bodies: `application/dtmf-relay` (`Signal=5`, the common form,
/// also decoded by pjsua itself) and `application/dtmf` (the body is the key, `5`).
public enum SIPInfoDTMF {
    static let blanks: Set<Unicode.Scalar> = [" ", "\t", "\r", "\n"]

    /// The key an INFO body carries, or nil when the content type is not a DTMF one or the
    /// body names no valid key. Content types compare case-insensitively.
    public static func digit(contentType: String, body: String) -> DTMFDigit? {
        let type = contentType.lowercased().split(separator: ";").first.map { $0.trimmingScalars(blanks) } ?? ""
        switch type {
        case "application/dtmf":
            let text = body.trimmingScalars(blanks)
            guard text.count == 1, let c = text.first else {
                // Some phones send the RFC 4733 event number instead (10 is *, 11 is #).
                return Int(text).flatMap { DTMFDigit(eventCode: $0) }
            }
            return DTMFDigit(c) ?? Int(text).flatMap { DTMFDigit(eventCode: $0) }
        case "application/dtmf-relay":
            for line in body.unicodeScalars.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).map({ String(String.UnicodeScalarView($0)) }) {
                let parts = line.split(separator: "=", maxSplits: 1)
                guard parts.count == 2, parts[0].trimmingScalars(blanks).lowercased() == "signal" else { continue }
                let value = parts[1].trimmingScalars(blanks)
                if value.count == 1, let c = value.first, let d = DTMFDigit(c) { return d }
                return Int(value).flatMap { DTMFDigit(eventCode: $0) }
            }
            return nil
        default:
            return nil
        }
    }
}
