/// One controller as the shared store knows it: its name (the SIP address it listens on, which
/// no two nodes share), the hash of the plan it runs, and when it last said it was alive.
public struct ClusterNode: Equatable, Sendable {
    public var name: String
    public var planHash: String
    /// Unix milliseconds of its last heartbeat.
    public var seenAt: Int64

    public init(name: String, planHash: String, seenAt: Int64) {
        self.name = name
        self.planHash = planHash
        self.seenAt = seenAt
    }
}
