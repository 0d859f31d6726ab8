/// The plan in force: `GET /api/plan`, and inside health and reload answers.
public struct PlanBody: Codable, Sendable, Equatable {
    public var version: Int
    public var hash: String
    public var files: [String]
    public var warnings: Int
    public var loadedAt: String

    public init(version: Int, hash: String, files: [String], warnings: Int, loadedAt: String) {
        self.version = version
        self.hash = hash
        self.files = files
        self.warnings = warnings
        self.loadedAt = loadedAt
    }

    enum CodingKeys: String, CodingKey { case version, hash, files, warnings, loadedAt = "loaded_at" }
}
