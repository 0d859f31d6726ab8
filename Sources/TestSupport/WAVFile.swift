/// WAVE files for tests: a RIFF header, a 16-byte PCM `fmt ` chunk and a `data` chunk, as
/// the shipped prompts are laid out. Used by the core's WAV tests and the end-to-end prompt tests.
public enum WAVFile {
    /// The bytes of a PCM WAVE file holding `samples` (16-bit, little-endian) described as
    /// `rate`, `channels` and `bits`; `declared` overrides the `data` chunk's stated size (a
    /// recorder that never patched it says more than it wrote).
    public static func bytes(rate: Int = 8000, channels: Int = 1, bits: Int = 16, samples: [Int16], declared: Int? = nil) -> [UInt8] {
        func le32(_ v: Int) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * $0)) & 0xFF) } }
        func le16(_ v: Int) -> [UInt8] { (0..<2).map { UInt8((v >> (8 * $0)) & 0xFF) } }
        let body = samples.flatMap { le16(Int(UInt16(bitPattern: $0))) }
        return Array("RIFF".utf8) + le32(36 + body.count) + Array("WAVE".utf8)
            + Array("fmt ".utf8) + le32(16) + le16(1) + le16(channels) + le32(rate) + le32(rate * channels * bits / 8)
            + le16(channels * bits / 8) + le16(bits)
            + Array("data".utf8) + le32(declared ?? body.count) + body
    }
}
