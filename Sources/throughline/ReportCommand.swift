import Controller
import Foundation
import Store
import ThroughlineCore

/// `throughline report …`: queue figures from the durable record in the store, grouped by
/// queue, department, campaign or agent (optionally per interval), as a table, CSV or JSON.
/// It reads the store directly (WAL lets it read while the controller writes). Exit 0 with a
/// report (a period with no events says so), 73 when the store cannot be opened.
struct ReportCommand {
    let options: ReportOptions

    func run() -> Int32 {
        let path = options.data + "/throughline.sqlite"
        guard FileManager.default.fileExists(atPath: path) else {
            return fail(73, "no store at \(path) (is --data the controller's data folder?)")
        }
        let now = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
        let from = options.from ?? now - now % 86_400_000
        let to = options.to ?? now + 1
        let period = "from \(UTCTimestamp.string(unixMilliseconds: from)) to \(UTCTimestamp.string(unixMilliseconds: to))"
        let rows: [ReportRowBody]
        do {
            let store = try ReferenceStore(folder: options.data)
            if options.costs {
                let activity = try store.departmentActivity(from: from, to: to)
                return costs(DepartmentCostBuilder.rows(activity: activity).map(DepartmentCostBody.init), from, to, period)
            }
            let totals = try store.queueEventTotals(from: from, to: to, by: options.grouping, interval: options.interval)
            rows = QueueReportBuilder.rows(totals).map(ReportRowBody.init)
        } catch {
            return fail(73, "the store failed: \(error)")
        }
        if rows.isEmpty { FileHandle.standardError.write(Data("throughline: no queue events recorded \(period)\n".utf8)) }
        switch options.format {
        case .json:
            let body = ReportBody(from: UTCTimestamp.string(unixMilliseconds: from), to: UTCTimestamp.string(unixMilliseconds: to),
                                  by: options.grouping.rawValue, rows: rows)
            FileHandle.standardOutput.write(Data(WireJSON.document(body)))
        case .csv:
            print(ReportRowBody.CodingKeys.allCases.map(\.rawValue).joined(separator: ","))
            for row in rows { print(row.columns.map(Self.csvField).joined(separator: ",")) }
        case .table:
            guard !rows.isEmpty else {
                print("no queue events recorded \(period)")
                return 0
            }
            print("queue figures by \(options.grouping.rawValue), \(period)")
            print(Self.table(rows))
        }
        return 0
    }

    /// The department cost report in the format asked for.
    private func costs(_ rows: [DepartmentCostBody], _ from: Int64, _ to: Int64, _ period: String) -> Int32 {
        if rows.isEmpty { FileHandle.standardError.write(Data("throughline: no repeat calls, hand-offs or reasons recorded \(period)\n".utf8)) }
        switch options.format {
        case .json:
            FileHandle.standardOutput.write(Data(WireJSON.document(ReportBody(
                from: UTCTimestamp.string(unixMilliseconds: from), to: UTCTimestamp.string(unixMilliseconds: to), by: "department", rows: [], costs: rows))))
        case .csv:
            print(DepartmentCostBody.CodingKeys.allCases.map(\.rawValue).joined(separator: ","))
            for row in rows { print(row.columns.map(Self.csvField).joined(separator: ",")) }
        case .table:
            guard !rows.isEmpty else {
                print("no repeat calls, hand-offs or reasons recorded \(period)")
                return 0
            }
            print("department cost, \(period)")
            print(Self.table(header: ["department", "repeats", "repeat talk s", "hand-offs", "overdue", "open", "reasons (most frequent first)"],
                             rows.map(\.columns), leftAligned: [0, 6]))
        }
        return 0
    }

    /// A column-aligned table of the main figures.
    static func table(_ rows: [ReportRowBody]) -> String {
        table(header: ["group", "interval", "offered", "answered", "SL", "ASA s", "abandoned", "short", "aband. rate", "overflow", "empty",
                       "longest s", "talk s"], rows.map(Self.cells))
    }

    /// `body` under `header`, the columns in `leftAligned` (text) left-aligned and the rest
    /// (figures) right-aligned.
    static func table(header: [String], _ body: [[String]], leftAligned: Set<Int> = [0]) -> String {
        var widths: [Int] = header.map(\.count)
        for cells in body {
            for (i, c) in cells.enumerated() { widths[i] = max(widths[i], c.count) }
        }
        var lines: [String] = []
        for cells in [header] + body {
            var line: [String] = []
            for (i, c) in cells.enumerated() {
                let pad = String(repeating: " ", count: widths[i] - c.count)
                line.append(leftAligned.contains(i) ? c + pad : pad + c)
            }
            lines.append(line.joined(separator: "  "))
        }
        return lines.joined(separator: "\n")
    }

    /// One row's cells for the table.
    static func cells(_ r: ReportRowBody) -> [String] {
        func percent(_ x: Double?) -> String { x.map { String(format: "%.1f%%", $0 * 100) } ?? "-" }
        let interval: String = r.intervalStart.map { String($0.prefix(16)) } ?? ""
        let asa: String = r.averageSpeedOfAnswerSeconds.map { String($0) } ?? "-"
        return [r.group, interval, String(r.offered), String(r.answered), percent(r.serviceLevel), asa, String(r.abandoned),
                String(r.shortAbandoned), percent(r.abandonRate), String(r.overflowed), String(r.emptied), String(r.longestWaitSeconds),
                String(r.talkSeconds)]
    }

    /// RFC 4180: quoted when it holds a comma, a quote or a line break.
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private func fail(_ code: Int32, _ message: String) -> Int32 {
        FileHandle.standardError.write(Data("throughline: error: \(message)\n".utf8))
        return code
    }
}
