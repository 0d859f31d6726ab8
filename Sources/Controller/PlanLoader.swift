import Foundation
import ThroughlineCore

/// Reads every `*.dialplan` in a folder (sorted by name), parses and checks them as one plan.
///
/// Called by `throughline check` and `simulate`, at start-up, and on reload (from the HTTP
/// thread or the signal queue, never the controller thread: a large plan takes a while).
public enum PlanLoader {
    public struct Result: Sendable {
        /// The plan, whether or not it has errors (a plan with errors is never run).
        public var plan: Dialplan
        public var diagnostics: [Diagnostic]
        /// The prompt folder the plan names, resolved against the dialplan folder.
        public var promptsFolder: String
        /// Every prompt's file: the plan's folder first, then the shipped pack of its language.
        public var prompts: PromptLibrary
        /// Hash of the files' names and contents.
        public var hash: String
        public var files: [String]
        /// Each file's text as it was read, by file name (what the plan archive keeps).
        public var texts: [String: String] = [:]

        public var hasErrors: Bool { diagnostics.hasErrors }
    }

    /// `base`: the folder a relative `prompts` path is read against, when it is not `folder`
    /// (an archived plan's copies resolve it as the dialplan folder they came from did).
    public static func load(folder: String, base: String? = nil) -> Result {
        let display = folder.hasSuffix("/") ? String(folder.dropLast()) : folder
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            return Result(plan: Dialplan(), diagnostics: [.error(SourceLocation(file: display, line: 0, column: 0), "dialplan folder does not exist")],
                          promptsFolder: "", prompts: PromptLibrary(folder: ""), hash: "", files: [])
        }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { $0.hasSuffix(".dialplan") && !$0.hasPrefix(".") }.sorted()
        var sources: [DialplanParser.SourceFile] = []
        var texts: [String: String] = [:]
        var diagnostics: [Diagnostic] = []
        var hash = ContentHash()
        for name in names {
            let path = display + "/" + name
            guard let data = FileManager.default.contents(atPath: path) else {
                diagnostics.append(.error(SourceLocation(file: path, line: 0, column: 0), "cannot read the file"))
                continue
            }
            guard let text = String(data: data, encoding: .utf8) else {
                diagnostics.append(.error(SourceLocation(file: path, line: 1, column: 1), "the file is not UTF-8 text"))
                continue
            }
            hash.add(name)
            hash.add(text)
            texts[name] = text
            sources.append(DialplanParser.SourceFile(path: path, text: text))
        }
        guard !names.isEmpty else {
            return Result(plan: Dialplan(), diagnostics: [.error(SourceLocation(file: display, line: 0, column: 0), "no *.dialplan files in the folder")],
                          promptsFolder: "", prompts: PromptLibrary(folder: ""), hash: "", files: [])
        }
        let (plan, parseDiagnostics) = DialplanParser.parse(sources)
        let prompts = plan.settings.prompts.value.hasPrefix("/")
            ? plan.settings.prompts.value
            : URL(fileURLWithPath: base ?? folder).appendingPathComponent(plan.settings.prompts.value).standardizedFileURL.path
        var folderIsDirectory: ObjCBool = false
        let promptsExist = FileManager.default.fileExists(atPath: prompts, isDirectory: &folderIsDirectory) && folderIsDirectory.boolValue
        let own = wavNames(in: prompts)
        let language = plan.settings.language.value
        // One layer when the plan's folder is the shipped pack itself (the sample plan's is).
        let shippedFolder = ShippedPrompts.pack(language).flatMap { pack in
            Self.sameFolder(pack, prompts) ? nil : URL(fileURLWithPath: pack).standardizedFileURL.path
        }
        let shipped = shippedFolder.map(wavNames) ?? []
        let library = PromptLibrary(folder: prompts, names: own, shippedFolder: shippedFolder, shippedNames: shipped)
        var checkDiagnostics = DialplanChecker.check(plan, prompts: promptsExist ? own.union(shipped) : nil,
                                                     shippedPack: shippedFolder == nil ? nil : "the shipped '\(language)' prompts")
        // While the text has syntax errors, the checker's warnings are mostly echoes of them
        // (a broken option makes a menu look empty): errors are shown, warnings wait.
        if parseDiagnostics.hasErrors { checkDiagnostics = checkDiagnostics.errors }
        return Result(plan: plan, diagnostics: (diagnostics + parseDiagnostics + checkDiagnostics).sorted(),
                      promptsFolder: prompts, prompts: library, hash: hash.hex, files: sources.map(\.path), texts: texts)
    }

    static func sameFolder(_ a: String, _ b: String) -> Bool {
        URL(fileURLWithPath: a).resolvingSymlinksInPath().standardizedFileURL.path == URL(fileURLWithPath: b).resolvingSymlinksInPath().standardizedFileURL.path
    }

    /// The names of the WAV files in `folder` (none when it does not exist).
    static func wavNames(in folder: String) -> Set<String> {
        Set(((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".wav") }.map { String($0.dropLast(4)) })
    }
}
