import Foundation
import Controller
import HTTPServer
import ThroughlineCore

/// `throughline broadcast TEXT [--department NAME]`: asks the running controller to show
/// TEXT in the marquee of every agent desk (or one department's); prints how many desks it
/// reached. Exit 0 when sent, 1 when refused, 69 when the controller cannot be reached.
struct BroadcastCommand {
    let options: BroadcastOptions

    func run() -> Int32 {
        guard let token = ReloadCommand.adminToken(options.connection) else { return 78 }
        let data = WireJSON.compact(BroadcastRequest(text: options.text, department: options.department))
        do {
            let (status, answer) = try HTTPClient.request("POST", "/api/broadcast", to: options.connection.http,
                                                          headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")],
                                                          body: data)
            guard status == 200 else {
                let refusal = try? WireJSON.decode(ErrorBody.self, from: Array(answer.utf8)).get().error
                FileHandle.standardError.write(Data("throughline: error: \(refusal ?? answer) (HTTP \(status))\n".utf8))
                return 1
            }
            let sent = try? WireJSON.decode(BroadcastSentBody.self, from: Array(answer.utf8)).get()
            print("broadcast to \(sent?.desks ?? 0) desk(s)\(options.department.map { " of \($0)" } ?? "")")
            return 0
        } catch {
            FileHandle.standardError.write(Data("throughline: error: \(error)\n".utf8))
            return 69
        }
    }
}
