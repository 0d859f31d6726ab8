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
        let store: ReferenceStore
        do {
            store = try ExistingStore.open(data: options.data, store: options.store)
        } catch {
            return fail(error.message)
        }
        let now = Date().unixMilliseconds
        let from = options.from ?? WallboardToday.dayStart(now)
        let to = options.to ?? now + 1
        let period = "from \(UTCTimestamp.string(unixMilliseconds: from)) to \(UTCTimestamp.string(unixMilliseconds: to))"
        let body: ReportBody
        do {
            body = try store.report(from: from, to: to, by: options.grouping, interval: options.interval, costs: options.costs)
        } catch {
            return fail("the store failed: \(error)")
        }
        // One way to print either report: its CSV header and columns, its table and title.
        let csvHeader: [String], csvRows: [[String]], table: String, title: String, nothing: String
        if let costs = body.costs {
            csvHeader = DepartmentCostBody.CodingKeys.allCases.map(\.rawValue)
            csvRows = costs.map(\.columns)
            table = Self.table(header: DepartmentCostBody.tableHeader, costs.map(\.columns),
                               leftAligned: [0, DepartmentCostBody.tableHeader.count - 1])
            title = "department cost, \(period)"
            nothing = costs.isEmpty ? "no repeat calls, hand-offs or reasons recorded \(period)" : ""
        } else {
            csvHeader = ReportRowBody.CodingKeys.allCases.map(\.rawValue)
            csvRows = body.rows.map(\.columns)
            table = Self.table(body.rows)
            title = "queue figures by \(options.grouping.rawValue), \(period)"
            nothing = body.rows.isEmpty ? "no queue events recorded \(period)" : ""
        }
        if !nothing.isEmpty { FileHandle.standardError.write(Data("throughline: \(nothing)\n".utf8)) }
        switch options.format {
        case .json:
            FileHandle.standardOutput.write(Data(WireJSON.document(body)))
        case .csv:
            print(csvHeader.joined(separator: ","))
            for row in csvRows { print(row.map(Self.csvField).joined(separator: ",")) }
        case .table:
            print(nothing.isEmpty ? title + "\n" + table : nothing)
        }
        return 0
    }

    /// A column-aligned table of the main figures.
    static func table(_ rows: [ReportRowBody]) -> String {
        let byAgent = rows.contains { $0.staffedSeconds != nil }
        return table(header: ["group", "interval", "offered", "answered", "SL", "ASA s", "abandoned", "short", "aband. rate", "overflow", "empty",
                              "longest s", "talk s"] + (byAgent ? ["staffed s", "occupancy"] : []),
                     rows.map { Self.cells($0) + (byAgent ? [$0.staffedSeconds.map { String($0) } ?? "-", $0.occupancy.map { String(format: "%.1f%%", $0 * 100) } ?? "-"] : []) })
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

    /// Exit 73: no store, or it failed.
    private func fail(_ message: String) -> Int32 {
        FileHandle.standardError.write(Data("throughline: error: \(message)\n".utf8))
        return 73
    }
}
