/// `throughline report [--from T] [--to T] [--by queue|department|campaign|agent]
/// [--interval 15m] [--costs] [--format table|csv|json] [--data DIR]`: figures from the durable
/// record (`--costs`: the department cost report instead).
/// Times are Unix milliseconds (parsed from `2026-11-30` or `2026-11-30T15:00Z`); nil `from`
/// means midnight UTC today, nil `to` now.
public struct ReportOptions: Sendable, Equatable {
    public enum Format: String, Sendable, CaseIterable { case table, csv, json }

    public var from: Int64?
    public var to: Int64?
    public var grouping: QueueReportBuilder.Grouping = .queue
    public var interval: Duration?
    /// The department cost report rather than queue figures.
    public var costs = false
    public var format: Format = .table
    public var data = "var"
    /// A PostgreSQL URL (`--store postgresql://…`): the store several nodes share, instead of
    /// `<data>/throughline.sqlite`.
    public var store: String?

    public init() {}
}
