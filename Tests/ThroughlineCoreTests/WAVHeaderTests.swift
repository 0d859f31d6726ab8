import Foundation
import Testing
import ThroughlineCore

@Suite("WAV headers")
struct WAVHeaderTests {
    static let prompts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("prompts/en")

    @Test func everyShippedPromptIsTelephonyPCMWithItsText() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.prompts.path).filter { $0.hasSuffix(".wav") }
        #expect(names.count >= 30)
        for name in names {
            let bytes = [UInt8](try Data(contentsOf: Self.prompts.appendingPathComponent(name)))
            let header = try #require(WAVHeader(bytes), "\(name)")
            #expect(header.isTelephonyPCM, "\(name): \(header)")
            #expect(header.duration > .milliseconds(200), "\(name)")
            let base = String(name.dropLast(4))
            let source = ["txt", "music", "tone"].contains { FileManager.default.fileExists(atPath: Self.prompts.appendingPathComponent("\(base).\($0)").path) }
            #expect(source, "\(name) has no .txt, .music or .tone beside it")
        }
    }

    @Test func refusesWhatIsNotPCMWave() {
        #expect(WAVHeader([]) == nil)
        #expect(WAVHeader(Array("RIFF0000WAVEjunk".utf8)) == nil)
        #expect(WAVHeader(Array(repeating: 0xFF, count: 64)) == nil)
    }

    /// A minimal WAVE file: `fmt ` with the given layout, then `data` saying `declared` bytes.
    static func wav(rate: Int = 8000, channels: Int = 1, bits: Int = 16, samples: [Int16], declared: Int? = nil) -> [UInt8] {
        func le32(_ v: Int) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * $0)) & 0xFF) } }
        func le16(_ v: Int) -> [UInt8] { (0..<2).map { UInt8((v >> (8 * $0)) & 0xFF) } }
        let body = samples.flatMap { le16(Int(UInt16(bitPattern: $0))) }
        return Array("RIFF".utf8) + le32(36 + body.count) + Array("WAVE".utf8)
            + Array("fmt ".utf8) + le32(16) + le16(1) + le16(channels) + le32(rate) + le32(rate * channels * bits / 8)
            + le16(channels * bits / 8) + le16(bits)
            + Array("data".utf8) + le32(declared ?? body.count) + body
    }

    /// The samples the SIP adapter keeps in memory are the file's, in order, signed.
    @Test func telephonySamplesAreTheFilesSamples() throws {
        let samples: [Int16] = [0, 1, -1, 32767, -32768, 1234, -4321]
        #expect(WAVHeader.telephonySamples(Self.wav(samples: samples)) == samples)
        // A data chunk saying more than the file holds (a recorder that never patched it):
        // what is there; an odd trailing byte is not half a sample.
        #expect(WAVHeader.telephonySamples(Self.wav(samples: samples, declared: 0x7FFF_FFFF)) == samples)
        #expect(WAVHeader.telephonySamples(Self.wav(samples: samples) + [0x55]) == samples)
        #expect(WAVHeader.telephonySamples(Self.wav(samples: [])) == [])
        let welcome = [UInt8](try Data(contentsOf: Self.prompts.appendingPathComponent("welcome.wav")))
        let header = try #require(WAVHeader(welcome))
        #expect(WAVHeader.telephonySamples(welcome)?.count == header.dataBytes / 2)
    }

    /// Anything but 8 kHz, 16-bit mono PCM is left to pjmedia's WAV player: no samples.
    @Test func telephonySamplesRefuseOtherLayoutsAndNeverTrapOnDamage() {
        #expect(WAVHeader.telephonySamples(Self.wav(rate: 16000, samples: [1, 2])) == nil)
        #expect(WAVHeader.telephonySamples(Self.wav(channels: 2, samples: [1, 2])) == nil)
        #expect(WAVHeader.telephonySamples(Self.wav(bits: 8, samples: [1, 2])) == nil)
        // Every prefix and a thousand seeded corruptions of a good file: an answer, never a trap.
        let good = Self.wav(samples: (0..<400).map { Int16($0 * 37 % 2000 - 1000) })
        for length in 0...good.count { _ = WAVHeader.telephonySamples(Array(good.prefix(length))) }
        var generator = SplitMix64(seed: 22)
        for _ in 0..<1000 {
            var bytes = good
            for _ in 0..<4 { bytes[Int(generator.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: generator.next()) }
            if let samples = WAVHeader.telephonySamples(bytes) { #expect(samples.count * 2 <= bytes.count - 20) }
        }
    }
}

