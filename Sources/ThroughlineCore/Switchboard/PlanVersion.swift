/// A plan that passed the checker, as the switchboard runs it: numbered in load order since
/// start (`plan=N` in every call's records) and named by its content hash. A call keeps the
/// version it arrived on to its end, so a reload never changes a call in progress.
public struct PlanVersion: Sendable {
    public var version: Int
    public var hash: String
    public var plan: Dialplan
    /// The plan's prompt files: its folder, then the shipped pack of its language.
    public var prompts: PromptLibrary
    public var files: [String]
    public var warnings: [Diagnostic]

    /// The plan's own prompt folder.
    public var promptsFolder: String { prompts.folder }

    public init(version: Int, hash: String, plan: Dialplan, prompts: PromptLibrary, files: [String], warnings: [Diagnostic]) {
        self.version = version
        self.hash = hash
        self.plan = plan
        self.prompts = prompts
        self.files = files
        self.warnings = warnings
    }
}
