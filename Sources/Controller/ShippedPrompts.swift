import Foundation

/// The prompt packs shipped with Throughline (`prompts/LANGUAGE/*.wav`), searched after a
/// plan's own prompt folder. Found, in order: `THROUGHLINE_SHIPPED_PROMPTS` (a packager's
/// install path); `share/throughline/prompts` beside the binary's `bin`; the `prompts`
/// folder of the checkout the binary was built in (walking up from the binary, as
/// `.build/release/throughline` sits three folders under it).
///
/// Read by the plan loader, on whichever thread loads the plan.
public enum ShippedPrompts {
    public static let root: String? = {
        let fm = FileManager.default
        func isPackRoot(_ path: String) -> Bool { fm.fileExists(atPath: path + "/en/goodbye.wav") }
        if let given = ProcessInfo.processInfo.environment["THROUGHLINE_SHIPPED_PROMPTS"], !given.isEmpty {
            return given
        }
        let binary = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        var folder = binary.deletingLastPathComponent()
        let installed = folder.deletingLastPathComponent().appendingPathComponent("share/throughline/prompts").path
        if isPackRoot(installed) { return installed }
        for _ in 0..<5 {
            let candidate = folder.appendingPathComponent("prompts").path
            if isPackRoot(candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return nil
    }()

    /// The pack for `language`, if shipped.
    public static func pack(_ language: String) -> String? {
        guard let root else { return nil }
        let path = root + "/" + language
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue ? path : nil
    }
}
