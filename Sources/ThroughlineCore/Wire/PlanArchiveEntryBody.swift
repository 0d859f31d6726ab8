/// One plan that loaded, as the plan archive keeps it (`DATA/plans/ID/plan.json`) and
/// `GET /api/plan/history` and `throughline plan history` show it.
public struct PlanArchiveEntryBody: Codable, Sendable, Equatable {
    /// The archive's number for it, increasing across restarts (not the controller's plan
    /// version, which starts again at 1).
    public var id: Int
    public var hash: String
    /// When it went in force (UTC, ISO 8601).
    public var loadedAt: String
    /// What loaded it: `start`, `api`, `SIGHUP`, `rollback to 3`, …
    public var trigger: String
    /// The dialplan folder it was read from, and its files' names (copied beside this file).
    public var folder: String
    public var files: [String]
    /// Every prompt the plan plays: its file, and the file's size and modification time then.
    public var prompts: [String: PromptFile]

    public struct PromptFile: Codable, Sendable, Equatable {
        public var path: String
        /// `SIZE@MTIME`, or `missing`.
        public var fingerprint: String

        public init(path: String, fingerprint: String) {
            self.path = path
            self.fingerprint = fingerprint
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, hash, trigger, folder, files, prompts
        case loadedAt = "loaded_at"
    }

    public init(id: Int, hash: String, loadedAt: String, trigger: String, folder: String, files: [String], prompts: [String: PromptFile]) {
        self.id = id
        self.hash = hash
        self.loadedAt = loadedAt
        self.trigger = trigger
        self.folder = folder
        self.files = files
        self.prompts = prompts
    }
}
