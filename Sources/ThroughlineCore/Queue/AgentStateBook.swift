/// Where agents' chosen status and their phones' registrations are kept across restarts: the
/// SQLite store in production (`Store.ReferenceStore`). Every method commits before it returns.
///
/// Called on the controller thread: saves as statuses and registrations change, the read once
/// at start, before the first call.
public protocol AgentStateBook: AnyObject, Sendable {
    /// The status an agent chose (available, paused with its reason, logged out), and the
    /// change in the status log (occupancy's base).
    func saveStatus(agent: String, _ status: AgentStatus) throws
    /// The controller is stopping at `at` (Unix milliseconds): nobody is staffed from then
    /// until the statuses are saved again at the next start.
    func agentsStopped(at: Int64) throws
    /// A phone registered for `login` at `contact` until `expiresAtUnixMilliseconds`; a nil
    /// contact removes it.
    func saveRegistration(login: String, contact: String?, expiresAtUnixMilliseconds: Int64) throws
    /// Everything saved: statuses by agent, registrations by login (expired ones included;
    /// the reader skips them).
    func savedAgentState() throws -> SavedAgentState
}

/// Agents' state as the store kept it.
public struct SavedAgentState: Sendable, Equatable {
    public struct Registration: Sendable, Equatable {
        public var contact: String
        public var expiresAtUnixMilliseconds: Int64

        public init(contact: String, expiresAtUnixMilliseconds: Int64) {
            self.contact = contact
            self.expiresAtUnixMilliseconds = expiresAtUnixMilliseconds
        }
    }

    public var statuses: [String: AgentStatus]
    public var registrations: [String: Registration]

    public init(statuses: [String: AgentStatus] = [:], registrations: [String: Registration] = [:]) {
        self.statuses = statuses
        self.registrations = registrations
    }
}
