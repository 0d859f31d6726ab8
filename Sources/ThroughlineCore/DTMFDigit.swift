/// One telephone key: `0`–`9`, `*`, `#`, `A`–`D` (RFC 4733 section 3.2, events 0–15).
public struct DTMFDigit: Hashable, Sendable, CustomStringConvertible {
    public let character: Character

    /// Accepts the sixteen DTMF keys; lower-case `a`–`d` are normalised. Returns nil for
    /// anything else, so a malformed INFO body or event code never becomes a key.
    public init?(_ character: Character) {
        let upper = Character(character.uppercased())
        guard "0123456789*#ABCD".contains(upper) else { return nil }
        self.character = upper
    }

    /// The key for an RFC 4733 event code (0–9 digits, 10 `*`, 11 `#`, 12–15 `A`–`D`).
    public init?(eventCode: Int) {
        let keys = Array("0123456789*#ABCD")
        guard keys.indices.contains(eventCode) else { return nil }
        self.character = keys[eventCode]
    }

    public var description: String { String(character) }
}
