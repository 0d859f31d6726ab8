import Controller
import ThroughlineCore

/// Plans for unit tests, parsed from text (prompt files are not checked here).
public enum TestPlans {
    /// Parses `text` as one file; traps on a syntax error, which is a bug in the test.
    public static func loaded(_ text: String, version: Int = 1, promptsFolder: String = "/prompts") -> PlanVersion {
        let (plan, diagnostics) = DialplanParser.parse([.init(path: "test.dialplan", text: text)])
        precondition(!diagnostics.hasErrors, "test plan has errors: \(diagnostics)")
        var hash = ContentHash()
        hash.add(text)
        return PlanVersion(version: version, hash: hash.hex, plan: plan, promptsFolder: promptsFolder, files: ["test.dialplan"], warnings: [])
    }
}
