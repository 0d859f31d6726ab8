/// `agent NAME { … }`: a person and how to reach their phone.
public struct Agent: Sendable, Hashable {
    public var name: Located<String>
    public var fullName: String
    /// A static SIP contact (`sip:alice@10.0.0.5:5060`).
    public var contact: Located<String>?
    /// Or a login the phone REGISTERs with (digest authentication), with its secret.
    public var login: Located<String>?
    public var secret: Located<String>?
    /// Skill name to level, 1–10 (10 is best).
    public var skills: [String: Located<Int>] = [:]
    /// Departments the agent belongs to (broadcasts, the desk's directory).
    public var departments: [Located<String>] = []
    /// SRTP on the legs that ring this agent; nil follows the plan's `srtp` setting.
    public var srtp: SRTPMode?

    public init(name: Located<String>) {
        self.name = name
        self.fullName = name.value
    }
}
