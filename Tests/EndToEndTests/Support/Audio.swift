import Foundation

/// The little audio arithmetic the tests need to tell a prompt from silence.
enum Audio {
    /// G.711 μ-law to linear 16-bit (ITU-T G.711, the inverse of the encoder's table).
    static func decodeMuLaw(_ byte: UInt8) -> Int16 {
        let u = ~byte
        let sign = u & 0x80
        let exponent = Int((u >> 4) & 0x07)
        let mantissa = Int(u & 0x0F)
        let magnitude = ((mantissa << 3) + 0x84) << exponent - 0x84
        return Int16(sign != 0 ? -magnitude : magnitude)
    }

    /// True when a PCMU packet carries sound rather than silence (the threshold sits well
    /// above G.711's quantisation noise and well below spoken prompts at -3 dBFS).
    static func isVoiced(_ packet: RTPReceiver.Packet) -> Bool {
        packet.payloadType == 0 && rms(packet.payload.map(decodeMuLaw)) > 200
    }

    /// Linear 16-bit to G.711 μ-law (ITU-T G.711).
    static func encodeMuLaw(_ sample: Int16) -> UInt8 {
        let bias = 0x84, clip = 32635
        var value = Int(sample)
        let sign = value < 0 ? 0x80 : 0
        if value < 0 { value = -value }
        value = min(value, clip) + bias
        var exponent = 7
        var mask = 0x4000
        while exponent > 0 && value & mask == 0 { exponent -= 1; mask >>= 1 }
        let mantissa = (value >> (exponent + 3)) & 0x0F
        return ~UInt8(sign | (exponent << 4) | mantissa)
    }

    /// 20 ms of a sine tone as a PCMU payload (160 samples at 8 kHz).
    static func tonePayload(frequency: Double = 1000, amplitude: Double = 8000, frame: Int) -> [UInt8] {
        (0..<160).map { i in
            let t = Double(frame * 160 + i) / 8000
            return encodeMuLaw(Int16(amplitude * sin(2 * Double.pi * frequency * t)))
        }
    }

    /// True for a packet of the 1 kHz test tone (`tonePayload`) rather than ringback or
    /// speech: loud, and about 2,000 zero crossings a second (40 in 20 ms).
    static func isTestTone(_ packet: RTPReceiver.Packet) -> Bool {
        guard isVoiced(packet) else { return false }
        let samples = packet.payload.map(decodeMuLaw)
        let crossings = zip(samples, samples.dropFirst()).filter { ($0 < 0) != ($1 < 0) }.count
        return (30...50).contains(crossings)
    }

    /// Root mean square of linear samples.
    static func rms(_ samples: [Int16]) -> Double {
        guard !samples.isEmpty else { return 0 }
        let sum = samples.reduce(0.0) { $0 + Double($1) * Double($1) }
        return (sum / Double(samples.count)).squareRoot()
    }

    /// A prompt file as the tests see it: its samples (8 kHz, 16-bit, mono) from a RIFF WAVE.
    struct WAV {
        let sampleRate: Int
        let samples: [Int16]
        var duration: TimeInterval { Double(samples.count) / Double(sampleRate) }

        init(contentsOf url: URL) throws {
            let data = [UInt8](try Data(contentsOf: url))
            guard data.count >= 12, data[0..<4] == [0x52, 0x49, 0x46, 0x46], data[8..<12] == [0x57, 0x41, 0x56, 0x45] else {
                throw HarnessError("\(url.lastPathComponent) is not a RIFF WAVE file")
            }
            func u16(_ i: Int) -> Int { Int(data[i]) | Int(data[i + 1]) << 8 }
            func u32(_ i: Int) -> Int { u16(i) | u16(i + 2) << 16 }
            var offset = 12, rate = 0, bits = 0, channels = 0
            var pcm: [Int16]?
            while offset + 8 <= data.count {
                let id = String(decoding: data[offset..<(offset + 4)], as: UTF8.self), size = u32(offset + 4)
                let body = offset + 8
                if id == "fmt " { channels = u16(body + 2); rate = u32(body + 4); bits = u16(body + 14) }
                if id == "data" {
                    let end = min(body + size, data.count)
                    pcm = stride(from: body, to: end - 1, by: 2).map { Int16(bitPattern: UInt16(u16($0))) }
                }
                offset = body + size + (size & 1)
            }
            guard let pcm, bits == 16, channels == 1, rate > 0 else {
                throw HarnessError("\(url.lastPathComponent): want 16-bit mono PCM, found \(bits)-bit \(channels)-channel")
            }
            sampleRate = rate
            samples = pcm
        }
    }
}
