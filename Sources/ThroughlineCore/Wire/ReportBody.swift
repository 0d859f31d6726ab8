/// A report (`GET /api/reports`, `throughline report --format json`): the period, the
/// grouping and its rows.
public struct ReportBody: Codable, Sendable, Equatable {
    public var from: String
    public var to: String
    public var by: String
    public var rows: [ReportRowBody]
    /// The department cost report (`costs`), when asked for instead of `rows`.
    public var costs: [DepartmentCostBody]?

    public init(from: String, to: String, by: String, rows: [ReportRowBody], costs: [DepartmentCostBody]? = nil) {
        self.costs = costs
        self.from = from
        self.to = to
        self.by = by
        self.rows = rows
    }
}
