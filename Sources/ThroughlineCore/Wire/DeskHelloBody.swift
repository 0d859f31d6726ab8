/// The first event on a desk's stream: who the desk belongs to and the department directory.
public struct DeskHelloBody: Codable, Sendable, Equatable {
    public var agent: AgentBody
    public var directory: [DirectoryDepartmentBody]
    /// Campaign notices in force for the agent's departments (the marquee shows them).
    public var notices: [String]

    public init(agent: AgentBody, directory: [DirectoryDepartmentBody], notices: [String] = []) {
        self.agent = agent
        self.directory = directory
        self.notices = notices
    }
}
