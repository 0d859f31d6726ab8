/// The first event on a desk's stream: who the desk belongs to and the department directory.
public struct DeskHelloBody: Codable, Sendable, Equatable {
    public var agent: AgentBody
    public var directory: [DirectoryDepartmentBody]

    public init(agent: AgentBody, directory: [DirectoryDepartmentBody]) {
        self.agent = agent
        self.directory = directory
    }
}
