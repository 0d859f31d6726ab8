import Controller
import Foundation
import Store
import ThroughlineCore

/// `throughline handoffs [--department NAME] [--overdue] [--data DIR]`: the open hand-offs in
/// the store, newest first, one per line (SQLite in WAL mode lets it read while the
/// controller writes). Exit 0 when it lists some, 1 when none match, 73 when the store cannot
/// be opened.
struct HandoffsCommand {
    let options: HandoffsOptions

    func run() -> Int32 {
        let store: ReferenceStore
        do {
            store = try ExistingStore.open(data: options.data, store: options.store)
        } catch {
            return fail(73, error.message)
        }
        do {
            let now = Date().unixMilliseconds
            let found = try store.handoffs(department: options.department, openOnly: true).filter { !options.overdueOnly || $0.isOverdue(at: now) }
            guard !found.isEmpty else {
                return fail(1, "no open\(options.overdueOnly ? " overdue" : "") hand-offs\(options.department.map { " in \($0)" } ?? "")")
            }
            for h in found { print(Self.line(h, at: now)) }
            return 0
        } catch {
            return fail(73, "the store failed: \(error)")
        }
    }

    /// `12  482-103-3712  billing  owner carol  due 2026-12-02T10:00:00.000Z OVERDUE  repeats 1  from bob (sales) 3 h ago: refund shipping`
    static func line(_ h: Handoff, at now: Int64) -> String {
        var text = "\(h.id)  \(h.reference)  \(h.department)  "
        text += h.owner.map { "owner \($0)" } ?? "inbox"
        text += "  due " + (h.dueAt.map { UTCTimestamp.string(unixMilliseconds: $0) } ?? "never")
        if h.isOverdue(at: now) { text += " OVERDUE" }
        text += "  repeats \(h.repeats)"
        text += "  from \(h.fromAgent)\(h.fromDepartment.map { " (\($0))" } ?? "") \(HandoffRules.age(now - h.createdAt)) ago: \(h.note)"
        return text
    }

    private func fail(_ code: Int32, _ message: String) -> Int32 {
        FileHandle.standardError.write(Data("throughline: \(code == 1 ? "" : "error: ")\(message)\n".utf8))
        return code
    }
}
