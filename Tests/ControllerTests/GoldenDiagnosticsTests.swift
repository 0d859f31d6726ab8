import Controller
import Foundation
import Testing
import ThroughlineCore

/// Each folder under golden/ is a broken plan; expected.txt holds, line for line, the
/// diagnostics the checker must report for it (paths relative to golden/). To accept a
/// deliberate change of wording, run the test with GOLDEN_UPDATE=1 and review the diff.
@Suite("Golden diagnostics for broken plans")
struct GoldenDiagnosticsTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("golden")

    static var cases: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: golden.path)) ?? [])
            .filter { $0 != "prompts" && !$0.hasPrefix(".") }.sorted()
    }

    @Test func thereAreCases() {
        #expect(Self.cases.count >= 12)
    }

    @Test(arguments: cases)
    func diagnosticsMatchTheGoldenFile(_ name: String) throws {
        let folder = Self.golden.appendingPathComponent(name)
        let result = PlanLoader.load(folder: folder.path)
        let actual = result.diagnostics.map { $0.description.replacingOccurrences(of: Self.golden.path + "/", with: "") }
        let expectedFile = folder.appendingPathComponent("expected.txt")
        if ProcessInfo.processInfo.environment["GOLDEN_UPDATE"] == "1" {
            try (actual.joined(separator: "\n") + "\n").write(to: expectedFile, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: expectedFile, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(actual == expected, "\n--- got\n\(actual.joined(separator: "\n"))")
        // A case with an error must never load; a warnings-only case must.
        #expect(result.hasErrors == expected.contains { $0.contains(": error: ") })
    }

    @Test func theSamplePlanChecksClean() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("dialplans")
        let result = PlanLoader.load(folder: folder.path)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        #expect(result.plan.routes.count >= 3 && result.plan.menus.count >= 2 && result.plan.hunts.count >= 1 && result.plan.queues.count >= 3)
        #expect(result.plan.routes.contains { !$0.campaigns.isEmpty } && result.plan.campaigns.count == 1)
    }
}
