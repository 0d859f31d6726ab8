import Foundation
import Testing
import ThroughlineCore

@Suite("Saying numbers, digits and durations")
struct SpokenNumberTests {
    static let numberCases: [(Int, String)] = [
        (0, "digit-0"), (7, "digit-7"), (13, "number-13"), (40, "number-40"), (42, "number-40 digit-2"),
        (100, "digit-1 hundred"), (115, "digit-1 hundred number-15"), (999, "digit-9 hundred number-90 digit-9"),
        (2005, "digit-2 thousand digit-5"), (12_345, "number-12 thousand digit-3 hundred number-40 digit-5"),
    ]
    static let durationCases: [(Int64, String)] = [
        (3, "digit-5 seconds"), (44, "number-40 digit-5 seconds"), (89, "number-90 seconds"), (90, "digit-2 minutes"),
        (150, "digit-3 minutes"), (60 * 60, "number-60 minutes"), (95 * 60, "digit-1 hour and number-30 digit-5 minutes"),
        (121 * 60, "digit-2 hours and digit-1 minute"),
    ]

    @Test(arguments: numberCases)
    func numbers(_ n: Int, _ words: String) {
        #expect(SpokenNumber.number(n).joined(separator: " ") == words)
    }

    @Test func digitsOneByOne() {
        #expect(SpokenNumber.digits("482-103-3715") == ["digit-4", "digit-8", "digit-2", "digit-1", "digit-0", "digit-3", "digit-3", "digit-7", "digit-1", "digit-5"])
    }

    @Test(arguments: durationCases)
    func durations(_ seconds: Int64, _ words: String) {
        #expect(SpokenNumber.duration(.seconds(seconds)).joined(separator: " ") == words)
    }

    @Test func everyFragmentHasItsPrompt() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("prompts/en")
        var needed = Set<String>()
        for n in stride(from: 0, to: 1_000_000, by: 997) { needed.formUnion(SpokenNumber.number(n)) }
        for n in 0..<200 { needed.formUnion(SpokenNumber.number(n)) }
        for s in stride(from: 0, to: 86_400, by: 37) { needed.formUnion(SpokenNumber.duration(.seconds(Int64(s)))) }
        for name in needed.sorted() {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(name + ".wav").path), "missing prompt \(name)")
        }
    }
}
