/// One step of a caller's path on the wire (pops, webhook bodies, records): `{"at": "13s",
/// "step": "key 2"}`.
public struct PathStepBody: Codable, Sendable, Equatable {
    public var at: String
    public var step: String

    public init(at: String, step: String) {
        self.at = at
        self.step = step
    }
}
