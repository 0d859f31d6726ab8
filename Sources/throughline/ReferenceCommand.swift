import Foundation
import Store
import ThroughlineCore

/// `throughline ref show REF` and `throughline ref find --caller NUMBER`: read the store
/// directly (SQLite in WAL mode lets them read while the controller writes). Exit 0 when
/// found, 1 when not, 64 for a malformed reference, 73 when the store cannot be opened.
struct ReferenceCommand {
    let options: ReferenceOptions

    func run() -> Int32 {
        let store: ReferenceStore
        do {
            store = try ExistingStore.open(data: options.data, store: options.store)
        } catch {
            return fail(73, error.message)
        }
        do {
            switch options.action {
            case .show(let text):
                let reference: ReferenceNumber
                do {
                    reference = try ReferenceNumber(parsing: text)
                } catch {
                    return fail(64, "'\(text)' is not a reference: \(error)")
                }
                guard let summary = try store.find(reference) else { return fail(1, "no reference \(reference) was ever issued") }
                print(Self.show(summary), terminator: "")
                return 0
            case .find(let caller):
                let found = try store.references(caller: caller)
                guard !found.isEmpty else { return fail(1, "no references for caller \(caller)") }
                for r in found {
                    print("\(r.reference)  \(r.status.padding(toLength: 8, withPad: " ", startingAt: 0))  issued \(r.issuedAt)  department \(r.department ?? "-")  last agent \(r.lastAgent ?? "-")  \(r.eventCount) events")
                }
                return 0
            }
        } catch {
            return fail(73, "the store failed: \(error)")
        }
    }

    /// The journey as text: a header, then one line per event.
    static func show(_ r: ReferenceSummary) -> String {
        var text = "reference \(r.reference)  \(r.status)\n"
        text += "  caller      \(r.caller.isEmpty ? "anonymous" : r.caller)\n"
        text += "  issued      \(r.issuedAt)\n"
        text += "  department  \(r.department ?? "-")\n"
        text += "  last agent  \(r.lastAgent ?? "-")\n"
        text += "journey:\n"
        for e in r.events {
            var line = "  \(e.at)  \(e.kind.padding(toLength: 9, withPad: " ", startingAt: 0))  "
            if let author = e.author { line += "\(author): " }
            line += e.detail
            if let call = e.call { line += "  [call \(call)]" }
            text += line + "\n"
        }
        return text
    }

    private func fail(_ code: Int32, _ message: String) -> Int32 {
        FileHandle.standardError.write(Data("throughline: \(code == 1 ? "" : "error: ")\(message)\n".utf8))
        return code
    }
}
