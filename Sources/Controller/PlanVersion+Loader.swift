import ThroughlineCore

/// A plan that passed the checker, as the controller runs it: numbered in load order since
/// start (`plan=N` in every call's records) and named by its content hash.
public struct LoadedPlan: Sendable {
    public var version: Int
    public var hash: String
    public var plan: Dialplan
    public var promptsFolder: String
    public var files: [String]
    public var warnings: [Diagnostic]

    public init(version: Int, hash: String, plan: Dialplan, promptsFolder: String, files: [String], warnings: [Diagnostic]) {
        self.version = version
        self.hash = hash
        self.plan = plan
        self.promptsFolder = promptsFolder
        self.files = files
        self.warnings = warnings
    }

    /// The loader's result as a plan to run, or nil when it has errors.
    public init?(_ result: PlanLoader.Result, version: Int = 0) {
        guard !result.hasErrors else { return nil }
        self.init(version: version, hash: result.hash, plan: result.plan, promptsFolder: result.promptsFolder,
                  files: result.files, warnings: result.diagnostics.warnings)
    }
}
