/// FNV-1a, 64 bits: names a plan's content in logs and records (`plan_hash=…`). An identity
/// for humans and reloads, not a security measure.
public struct ContentHash: Sendable {
    private(set) var state: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    public mutating func add(_ text: String) {
        for byte in text.utf8 {
            state ^= UInt64(byte)
            state = state &* 0x0000_0100_0000_01b3
        }
        state ^= 0xFF  // separator, so "ab"+"c" differs from "a"+"bc"
        state = state &* 0x0000_0100_0000_01b3
    }

    /// 16 lower-case hex digits.
    public var hex: String {
        let digits = String(state, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
