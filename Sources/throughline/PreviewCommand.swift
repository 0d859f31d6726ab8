import Controller
import Foundation
import HTTPServer
import ThroughlineCore

/// `throughline check --against-running`: asks the running controller what a reload of its
/// plan folder would change (`GET /api/plan/preview`), and prints the files' diagnostics and
/// each change, without installing anything. Exit 0 when a reload would succeed, 1 when the
/// files have errors, 69 when the controller cannot be reached.
struct PreviewCommand {
    let options: ReloadOptions

    func run() -> Int32 {
        guard let token = ReloadCommand.adminToken(options) else { return 78 }
        do {
            let (status, body) = try HTTPClient.request("GET", "/api/plan/preview", to: options.http, headers: [("Authorization", "Bearer \(token)")])
            guard status == 200, case .success(let answer) = WireJSON.decode(PlanPreviewBody.self, from: Array(body.utf8)) else {
                FileHandle.standardError.write(Data("throughline: error: HTTP \(status) from \(options.http): \(body)\n".utf8))
                return 1
            }
            for line in answer.errors + answer.warnings { print(line) }
            for change in answer.changes { print(change.line) }
            let version = answer.plan?.version ?? 0, hash = answer.plan?.hash ?? "?"
            if !answer.errors.isEmpty {
                print("a reload would be refused: the plan has errors; plan \(version) (\(hash)) stays in force")
                return 1
            }
            let count = answer.changes.count
            print("a reload would change \(count == 0 ? "nothing" : "\(count) thing\(count == 1 ? "" : "s")") against plan \(version) (\(hash)), which stays in force until then")
            return 0
        } catch {
            FileHandle.standardError.write(Data("throughline: error: \(error)\n".utf8))
            return 69
        }
    }
}
