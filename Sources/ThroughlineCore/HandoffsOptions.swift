/// `throughline handoffs [--department NAME] [--overdue] [--data DIR]`: open hand-offs
/// from the store, newest first.
public struct HandoffsOptions: Sendable, Equatable {
    public var department: String?
    public var overdueOnly = false
    public var data = "var"
    /// A PostgreSQL URL (`--store postgresql://…`): the store several nodes share, instead of
    /// `<data>/throughline.sqlite`.
    public var store: String?

    public init(department: String? = nil, overdueOnly: Bool = false, data: String = "var") {
        self.department = department
        self.overdueOnly = overdueOnly
        self.data = data
    }
}
