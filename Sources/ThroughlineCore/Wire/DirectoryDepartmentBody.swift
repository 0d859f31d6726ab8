/// One department of the directory every desk shows (who handles what): pops, the desk's
/// `hello`, `GET /api/directory`. Field names are a public contract (README, "Stable fields").
public struct DirectoryDepartmentBody: Codable, Sendable, Equatable {
    public var department: String
    public var title: String
    public var handles: [String]
    public var agents: [String]

    public init(department: String, title: String, handles: [String], agents: [String]) {
        self.department = department
        self.title = title
        self.handles = handles
        self.agents = agents
    }
}
