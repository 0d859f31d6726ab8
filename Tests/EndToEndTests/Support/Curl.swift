import Foundation

/// HTTP requests to the controller with curl, an independent client: what an admin's script
/// would use.
enum Curl {
    struct Response {
        let status: Int
        let body: String
        /// The response's header lines (`Name: value`), as curl dumped them.
        var headers: [String] = []
        var json: [String: Any]? { try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] }
    }

    /// `body` is sent as `application/json`; `headers` are extra request lines (`Name: value`).
    static func request(_ method: String, _ url: String, token: String? = nil, body: String? = nil, headers: [String] = [],
                        timeout: Int = 20) throws -> Response {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        // -g: no URL globbing, so an IPv6 literal in brackets is an address, not a pattern.
        var arguments = ["-s", "-S", "-g", "-X", method, "--max-time", String(timeout), "-w", "\n%{http_code}", url]
        if let token { arguments += ["-H", "Authorization: Bearer \(token)"] }
        if let body { arguments += ["-H", "Content-Type: application/json", "--data-binary", body] }
        for header in headers { arguments += ["-H", header] }
        let dump = FileManager.default.temporaryDirectory.appendingPathComponent("curl-headers-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dump) }
        arguments += ["-D", dump.path]
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard let newline = text.lastIndex(of: "\n"), let status = Int(text[text.index(after: newline)...]) else {
            throw HarnessError("curl \(method) \(url) gave no status (exit \(process.terminationStatus))")
        }
        let dumped = (try? String(contentsOf: dump, encoding: .utf8)) ?? ""
        let lines = dumped.split(separator: "\r\n").map(String.init).filter { $0.contains(":") }
        return Response(status: status, body: String(text[..<newline]), headers: lines)
    }
}
