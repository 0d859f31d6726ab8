import Foundation
import HTTPServer
import ThroughlineCore

/// `throughline broadcast TEXT [--department NAME]`: asks the running controller to show
/// TEXT in the marquee of every agent desk (or one department's); prints how many desks it
/// reached. Exit 0 when sent, 1 when refused, 69 when the controller cannot be reached.
struct BroadcastCommand {
    let options: BroadcastOptions

    func run() -> Int32 {
        guard let token = ReloadCommand.adminToken(options.connection) else { return 78 }
        var body: [String: Any] = ["text": options.text]
        if let department = options.department { body["department"] = department }
        let data = (try? JSONSerialization.data(withJSONObject: body)) ?? Data()
        do {
            let (status, answer) = try HTTPClient.request("POST", "/api/broadcast", to: options.connection.http,
                                                          headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")],
                                                          body: Array(data))
            let json = try? JSONSerialization.jsonObject(with: Data(answer.utf8)) as? [String: Any]
            guard status == 200 else {
                FileHandle.standardError.write(Data("throughline: error: \(json?["error"] as? String ?? answer) (HTTP \(status))\n".utf8))
                return 1
            }
            print("broadcast to \(json?["desks"] as? Int ?? 0) desk(s)\(options.department.map { " of \($0)" } ?? "")")
            return 0
        } catch {
            FileHandle.standardError.write(Data("throughline: error: \(error)\n".utf8))
            return 69
        }
    }
}
