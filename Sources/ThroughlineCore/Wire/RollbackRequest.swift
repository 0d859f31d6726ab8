/// `POST /api/plan/rollback`'s body: the history entry to put back; an empty body (or no
/// `to`) means the plan in force before the current one.
public struct RollbackRequest: Codable, Sendable, Equatable {
    public var to: Int?

    public init(to: Int?) { self.to = to }
}
