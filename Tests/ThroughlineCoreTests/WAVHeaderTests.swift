import Foundation
import Testing
import TestSupport
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

    /// The samples the SIP adapter keeps in memory are the file's, in order, signed.
    @Test func telephonySamplesAreTheFilesSamples() throws {
        let samples: [Int16] = [0, 1, -1, 32767, -32768, 1234, -4321]
        #expect(WAVHeader.telephonySamples(WAVFile.bytes(samples: samples)) == samples)
        // A data chunk saying more than the file holds (a recorder that never patched it):
        // what is there; an odd trailing byte is not half a sample.
        #expect(WAVHeader.telephonySamples(WAVFile.bytes(samples: samples, declared: 0x7FFF_FFFF)) == samples)
        #expect(WAVHeader.telephonySamples(WAVFile.bytes(samples: samples) + [0x55]) == samples)
        #expect(WAVHeader.telephonySamples(WAVFile.bytes(samples: [])) == [])
        let welcome = [UInt8](try Data(contentsOf: Self.prompts.appendingPathComponent("welcome.wav")))
        let header = try #require(WAVHeader(welcome))
        #expect(WAVHeader.telephonySamples(welcome)?.count == header.dataBytes / 2)
    }

    /// Anything but 8 kHz, 16-bit mono PCM is left to pjmedia's WAV player: no samples.
    @Test func telephonySamplesRefuseOtherLayoutsAndNeverTrapOnDamage() {
        #expect(WAVHeader.telephonySamples(WAVFile.bytes(rate: 16000, samples: [1, 2])) == nil)
        #expect(WAVHeader.telephonySamples(WAVFile.bytes(channels: 2, samples: [1, 2])) == nil)
        #expect(WAVHeader.telephonySamples(WAVFile.bytes(bits: 8, samples: [1, 2])) == nil)
        // Every prefix and a thousand seeded corruptions of a good file: an answer, never a trap.
        let good = WAVFile.bytes(samples: (0..<400).map { Int16($0 * 37 % 2000 - 1000) })
        for length in 0...good.count { _ = WAVHeader.telephonySamples(Array(good.prefix(length))) }
        var generator = SplitMix64(seed: 22)
        for _ in 0..<1000 {
            var bytes = good
            for _ in 0..<4 { bytes[Int(generator.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: generator.next()) }
            if let samples = WAVHeader.telephonySamples(bytes) { #expect(samples.count * 2 <= bytes.count - 20) }
        }
    }
}

