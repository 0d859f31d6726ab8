import ThroughlineCore

extension PlanVersion {
    /// The loader's result as a plan to run, or nil when it has errors. Called by the
    /// reload coordinator and at start, on their own threads.
    public init?(_ result: PlanLoader.Result, version: Int = 0) {
        guard !result.hasErrors else { return nil }
        self.init(version: version, hash: result.hash, plan: result.plan, prompts: result.prompts,
                  files: result.files, warnings: result.diagnostics.warnings)
    }
}
