import Foundation
import TestSupport
import Testing
import ThroughlineCore

/// Thousands of random mutations of the sample plan through the parser, the checker and,
/// when a mutant still checks clean, the IVR engine: each yields a plan or diagnostics, and
/// a run that ends; never a crash or a hang. Seeded, so a failure repeats.
@Suite("Dialplan fuzzing")
struct DialplanFuzzTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let sample = (try? String(contentsOf: root.appendingPathComponent("dialplans/main.dialplan"), encoding: .utf8)) ?? ""
    static let prompts = Set(((try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("prompts/en").path)) ?? [])
        .filter { $0.hasSuffix(".wav") }.map { String($0.dropLast(4)) })

    static let fragments = [
        "{", "}", "->", "\"", "#", "=", ">=", ",", "\n", "\t", " ", "menu", "queue x", "hunt", "option", "route",
        "0", "5s", "999999999999999999999d", "-1", "é", "\u{0}", "\u{7F}", "\\", "\"\\\"", "*", "->->", "menu main",
        "repeat", "back", "require support>=", "skills a=", "expand after 1s require", "max-wait 1s ->", "🙂", "\r\n",
    ]

    static func mutate(_ text: String, using rng: inout SeededGenerator) -> String {
        var scalars = Array(text.unicodeScalars)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        switch Int.random(in: 0..<7, using: &rng) {
        case 0 where !scalars.isEmpty:  // delete a run
            let start = Int.random(in: 0..<scalars.count, using: &rng)
            scalars.removeSubrange(start..<min(scalars.count, start + Int.random(in: 1...20, using: &rng)))
            return String(String.UnicodeScalarView(scalars))
        case 1:  // insert a fragment
            let at = Int.random(in: 0...scalars.count, using: &rng)
            scalars.insert(contentsOf: fragments.randomElement(using: &rng)!.unicodeScalars, at: at)
            return String(String.UnicodeScalarView(scalars))
        case 2 where !lines.isEmpty:  // duplicate a line
            let i = Int.random(in: 0..<lines.count, using: &rng)
            lines.insert(lines[i], at: Int.random(in: 0...lines.count, using: &rng))
        case 3 where lines.count > 1:  // swap two lines
            lines.swapAt(Int.random(in: 0..<lines.count, using: &rng), Int.random(in: 0..<lines.count, using: &rng))
        case 4 where !lines.isEmpty:  // drop a line
            lines.remove(at: Int.random(in: 0..<lines.count, using: &rng))
        case 5 where !scalars.isEmpty:  // truncate
            return String(String.UnicodeScalarView(scalars.prefix(Int.random(in: 0..<scalars.count, using: &rng))))
        default:  // replace a character with a random printable one
            guard !scalars.isEmpty else { return text }
            scalars[Int.random(in: 0..<scalars.count, using: &rng)] = Unicode.Scalar(UInt8.random(in: 32...126, using: &rng))
            return String(String.UnicodeScalarView(scalars))
        }
        return lines.joined(separator: "\n")
    }

    @Test(.timeLimit(.minutes(2)))
    func randomMutationsYieldAPlanOrDiagnosticsNeverACrashOrHang() throws {
        try #require(!Self.sample.isEmpty && !Self.prompts.isEmpty)
        var rng = SeededGenerator(seed: 20261122)
        var clean = 0, broken = 0, simulated = 0
        // 5,000 by default; the sanitizer run of `make test` asks for fewer (each is about 20×
        // slower under AddressSanitizer, and the debug run has already tried all 5,000).
        let count = ProcessInfo.processInfo.environment["THROUGHLINE_DIALPLAN_FUZZ_COUNT"].flatMap(Int.init) ?? 5000
        for _ in 0..<count {
            var text = Self.sample
            for _ in 0..<Int.random(in: 1...4, using: &rng) { text = Self.mutate(text, using: &rng) }
            let lineCount = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).count  // as the parser counts
            let (plan, parseDiagnostics) = DialplanParser.parse([.init(path: "fuzz.dialplan", text: text)])
            let diagnostics = parseDiagnostics + DialplanChecker.check(plan, prompts: Self.prompts)
            for d in diagnostics {
                #expect(d.location.line >= 1 && d.location.line <= lineCount, "\(d) in a \(lineCount)-line file")
                #expect(!d.message.isEmpty)
            }
            guard !diagnostics.hasErrors else { broken += 1; continue }
            clean += 1
            #expect(!plan.routes.isEmpty)
            // A plan that checks clean must also run: a random caller through its menus ends.
            if let route = plan.routes.randomElement(using: &rng) {
                let keys = (0..<Int.random(in: 0...6, using: &rng)).map { _ in String("0123456789*#_".randomElement(using: &rng)!) }
                let caller = try SimulatedCaller(keys: keys.joined(separator: " "))
                let result = IVRSimulation.run(plan: plan, entry: route.target.value, caller: caller) { _ in .seconds(2) }
                #expect(result.outcome != nil || result.truncated)
                simulated += 1
            }
        }
        #expect(broken > count / 5, "most mutants should be broken: \(broken) of \(count)")
        #expect(clean > count / 50, "some mutants should still check clean: \(clean) of \(count)")
        #expect(simulated == clean)
    }

    @Test(.timeLimit(.minutes(1)))
    func randomBytesNeverCrashTheParser() {
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<2000 {
            let bytes = (0..<Int.random(in: 0...400, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let text = String(decoding: bytes, as: UTF8.self)
            let (plan, diagnostics) = DialplanParser.parse([.init(path: "junk", text: text)])
            _ = DialplanChecker.check(plan, prompts: [])
            _ = diagnostics.count
        }
    }
}
