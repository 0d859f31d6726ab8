/// The format of a RIFF WAVE file, read from its first bytes: what a prompt's length and
/// suitability (8 kHz, 16-bit, mono PCM) are judged by.
public struct WAVHeader: Sendable, Equatable {
    public var sampleRate: Int
    public var channels: Int
    public var bitsPerSample: Int
    /// Bytes of sample data (the `data` chunk's size, as the header says).
    public var dataBytes: Int
    /// Where the sample data starts in the file.
    public var dataOffset: Int

    /// Parses the chunks up to `data`; nil when the bytes are not a PCM WAVE file.
    public init?(_ bytes: [UInt8]) {
        guard bytes.count >= 12, bytes[0..<4].elementsEqual("RIFF".utf8), bytes[8..<12].elementsEqual("WAVE".utf8) else { return nil }
        func u16(_ i: Int) -> Int { Int(bytes[i]) | Int(bytes[i + 1]) << 8 }
        func u32(_ i: Int) -> Int { u16(i) | u16(i + 2) << 16 }
        var offset = 12
        var format: (rate: Int, channels: Int, bits: Int)?
        while offset + 8 <= bytes.count {
            let size = u32(offset + 4)
            let body = offset + 8
            if bytes[offset..<(offset + 4)].elementsEqual("fmt ".utf8), body + 16 <= bytes.count {
                guard u16(body) == 1 else { return nil }  // PCM only
                format = (u32(body + 4), u16(body + 2), u16(body + 14))
            } else if bytes[offset..<(offset + 4)].elementsEqual("data".utf8) {
                guard let format else { return nil }
                sampleRate = format.rate
                channels = format.channels
                bitsPerSample = format.bits
                dataBytes = size
                dataOffset = body
                return
            }
            guard size >= 0, body + size + (size & 1) > offset else { return nil }
            offset = body + size + (size & 1)
        }
        return nil
    }

    /// Playing time of the data.
    public var duration: Duration {
        let bytesPerSecond = sampleRate * channels * max(1, bitsPerSample / 8)
        guard bytesPerSecond > 0 else { return .zero }
        return .milliseconds(Int64(dataBytes) * 1000 / Int64(bytesPerSecond))
    }

    /// Prompts are played into 8 kHz calls without resampling.
    public var isTelephonyPCM: Bool { sampleRate == 8000 && channels == 1 && bitsPerSample == 16 }
}
