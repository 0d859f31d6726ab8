/// A caller's reference: nine random digits and a Damm check digit, digits only so it can be
/// keyed on a phone and read aloud, shown grouped 3-3-4 (`482-103-3712`).
public struct ReferenceNumber: Hashable, Sendable, CustomStringConvertible {
    /// The ten digits, check digit last.
    public let digits: String

    /// Why a keyed or typed reference was refused, before any lookup.
    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        case wrongLength(Int)
        case notDigits
        case checkDigitMismatch

        public var description: String {
            switch self {
            case .wrongLength(let n): "\(n) digits, a reference has 10"
            case .notDigits: "only digits, spaces and dashes"
            case .checkDigitMismatch: "the check digit does not match (a digit mistyped or two swapped)"
            }
        }
    }

    /// A new reference from nine random digits drawn from `generator` (injected, so tests
    /// and the store's retry-on-collision are repeatable).
    public static func random(using generator: inout some RandomNumberGenerator) -> ReferenceNumber {
        let body = (0..<9).map { _ in UInt8.random(in: 0...9, using: &generator) }
        let all = body + [Damm.checkDigit(body)]
        return ReferenceNumber(validDigits: String(all.map { Character(String($0)) }))
    }

    private init(validDigits: String) { digits = validDigits }

    /// Parses what a caller keyed or an agent typed: the ten digits, with any spaces, dashes
    /// or dots between them. Throws before any lookup when the check digit is wrong.
    public init(parsing text: String) throws(Problem) {
        let kept = text.filter { $0 != " " && $0 != "-" && $0 != "." }
        guard kept.count == 10 else { throw .wrongLength(kept.count) }
        guard kept.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw .notDigits }
        let values = kept.compactMap { $0.wholeNumberValue.map(UInt8.init) }
        guard Damm.isValid(values) else { throw .checkDigitMismatch }
        digits = kept
    }

    /// `482-103-3712`.
    /// Every log line and journey entry of a call spells its reference: written byte by byte
    /// into a small string (no allocation), not sliced and interpolated.
    public var description: String {
        let utf8 = digits.utf8
        guard utf8.count == 10 else {
            let a = digits.prefix(3), b = digits.dropFirst(3).prefix(3), c = digits.dropFirst(6)
            return "\(a)-\(b)-\(c)"
        }
        return String(unsafeUninitializedCapacity: 12) { buffer in
            var written = 0
            for (index, byte) in utf8.enumerated() {
                if index == 3 || index == 6 {
                    buffer[written] = UInt8(ascii: "-")
                    written += 1
                }
                buffer[written] = byte
                written += 1
            }
            return written
        }
    }
}
