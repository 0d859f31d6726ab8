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
}
