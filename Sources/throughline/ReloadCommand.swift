import Controller
import Foundation
import HTTPServer
import ThroughlineCore

/// `throughline reload`: asks the running controller (its admin API) to reload its plan and
/// prints what happened; exit 0 when the new plan is in force, 1 when it was refused.
struct ReloadCommand {
    let options: ReloadOptions

    /// The admin token: `--admin-token`, `THROUGHLINE_ADMIN_TOKEN`, or DATA/admin-token; nil
    /// (with the reason printed) when none.
    static func adminToken(_ options: ReloadOptions) -> String? {
        if let given = options.adminToken ?? ProcessInfo.processInfo.environment["THROUGHLINE_ADMIN_TOKEN"], !given.isEmpty {
            return given
        } else if let data = FileManager.default.contents(atPath: options.data + "/admin-token") {
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        FileHandle.standardError.write(Data("throughline: error: no admin token (give --admin-token, set THROUGHLINE_ADMIN_TOKEN, or --data DIR with DIR/admin-token)\n".utf8))
        return nil
    }

    func run() -> Int32 {
        guard let token = Self.adminToken(options) else { return 78 }
        do {
            let (status, body) = try HTTPClient.request("POST", "/api/reload", to: options.http, headers: [("Authorization", "Bearer \(token)")])
            guard case .success(let answer) = WireJSON.decode(ReloadBody.self, from: Array(body.utf8)) else {
                if case .success(let refusal) = WireJSON.decode(ErrorBody.self, from: Array(body.utf8)) {
                    print("throughline: error: \(refusal.error) (HTTP \(status))")
                } else {
                    FileHandle.standardError.write(Data("throughline: error: HTTP \(status) from \(options.http): \(body)\n".utf8))
                }
                return 1
            }
            for line in answer.errors + answer.warnings { print(line) }
            let version = answer.plan?.version ?? 0, hash = answer.plan?.hash ?? "?"
            if answer.reloaded {
                for change in answer.changes { print(change.line) }
                print("reloaded: plan \(version) (\(hash)) is in force, \(answer.changes.isEmpty ? "no change" : "\(answer.changes.count) change\(answer.changes.count == 1 ? "" : "s")") "
                      + "against the plan before; calls in progress keep the plan they started with")
                return 0
            }
            if status == 422 { print("not reloaded: the plan has errors; plan \(version) (\(hash)) stays in force") }
            return 1
        } catch {
            FileHandle.standardError.write(Data("throughline: error: \(error)\n".utf8))
            return 69
        }
    }
}
