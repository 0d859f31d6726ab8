extension WAVHeader {
    /// The samples of an 8 kHz, 16-bit, mono PCM WAVE file, as the SIP adapter keeps prompts in
    /// memory; nil for any other file. A `data` chunk whose size runs past the end of the file
    /// (a recorder that never patched it) yields the samples that are there.
    public static func telephonySamples(_ bytes: [UInt8]) -> [Int16]? {
        guard let header = WAVHeader(bytes), header.isTelephonyPCM else { return nil }
        // The parser finds `data` only with its 8-byte header inside the bytes: never negative.
        let count = min(header.dataBytes, bytes.count - header.dataOffset) / 2
        return (0..<count).map { i in
            let at = header.dataOffset + 2 * i
            return Int16(bitPattern: UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8)
        }
    }
}
