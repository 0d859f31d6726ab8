import Foundation

/// Where the end-to-end tests find the checkout, the built binary and the SIPp scenarios.
enum Repository {
    /// The checkout's root, from this file's path (Tests/EndToEndTests/Support/…).
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let scenarios = root.appendingPathComponent("Tests/EndToEndTests/scenarios")
    static let prompts = root.appendingPathComponent("prompts/en")

    /// The `throughline` binary `swift build` put beside the test bundle (or $THROUGHLINE_BIN).
    static var binary: URL {
        get throws {
            if let override = ProcessInfo.processInfo.environment["THROUGHLINE_BIN"] {
                return URL(fileURLWithPath: override)
            }
            let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            let candidates = [
                beside.appendingPathComponent("throughline"),
                beside.deletingLastPathComponent().appendingPathComponent("throughline"),
                root.appendingPathComponent(".build/debug/throughline"),
            ]
            guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
                throw HarnessError("no throughline binary next to the tests (looked in \(candidates.map(\.path))); run `swift build` first")
            }
            return found
        }
    }

    /// A new, empty folder for one test's files (SIPp's logs, the controller's data).
    static func scratchFolder(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("throughline-e2e-\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
