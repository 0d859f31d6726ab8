import Controller
import Foundation
import HTTPServer
import ThroughlineCore

/// `throughline plan history` (reads DATA/plans directly, with or without a running
/// controller) and `throughline plan rollback [ID]` (asks the running controller, which puts
/// the plan back through its checked reload path).
enum PlanCommand {
    static func history(data: String) -> Int32 {
        let entries = PlanArchive(dataFolder: data).entries()
        guard !entries.isEmpty else {
            print("no plan history in \(data)/plans (a controller keeps every plan it loads there)")
            return 1
        }
        for entry in entries {
            print(String(format: "%4d", entry.id) + "  \(entry.loadedAt)  \(entry.hash)  \(entry.trigger)  \(entry.files.joined(separator: ", "))")
        }
        return 0
    }

    static func rollback(to id: Int?, options: ReloadOptions) -> Int32 {
        guard let token = ReloadCommand.adminToken(options) else { return 78 }
        do {
            let body = id.map { Array("{\"to\": \($0)}".utf8) } ?? []
            let (status, text) = try HTTPClient.request("POST", "/api/plan/rollback", to: options.http, headers: [("Authorization", "Bearer \(token)")],
                                                        body: body)
            if case .success(let answer) = WireJSON.decode(RollbackBody.self, from: Array(text.utf8)) {
                for line in answer.errors { print(line) }
                for change in answer.changes { print(change.line) }
                if answer.rolledBack {
                    print("rolled back: history entry \(answer.to) is in force as plan \(answer.plan?.version ?? 0) (\(answer.plan?.hash ?? "?")); "
                          + "calls in progress keep the plan they started with; the dialplan folder's files are unchanged")
                    return 0
                }
                print("not rolled back: history entry \(answer.to) no longer checks; the plan in force stays")
                return 1
            }
            if case .success(let refusal) = WireJSON.decode(ErrorBody.self, from: Array(text.utf8)) {
                print("not rolled back: \(refusal.error) (HTTP \(status))")
            } else {
                FileHandle.standardError.write(Data("throughline: error: HTTP \(status) from \(options.http): \(text)\n".utf8))
            }
            return 1
        } catch {
            FileHandle.standardError.write(Data("throughline: error: \(error)\n".utf8))
            return 69
        }
    }
}
