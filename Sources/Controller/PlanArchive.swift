import Foundation
import ThroughlineCore

/// Every plan that loaded, kept in the data folder (`DATA/plans/ID/`: a copy of each dialplan
/// file as it was read, and `plan.json` with its hash, when and by what it was loaded, and the
/// prompt files it played with their size and time), so an admin can see the history and
/// put an earlier plan back (`ReloadCoordinator.rollback`). A plan loaded again unchanged
/// right after itself (a restart) is not kept twice.
///
/// Written by the reload coordinator (serialized) and at start; read by `throughline plan
/// history` directly from the folder, and by the API's threads.
public final class PlanArchive: @unchecked Sendable {
    public let folder: URL
    private let lock = NSLock()

    public init(dataFolder: String) {
        folder = URL(fileURLWithPath: dataFolder).appendingPathComponent("plans")
    }

    /// Every entry, oldest first; unreadable entries are skipped.
    public func entries() -> [PlanArchiveEntryBody] { ids().compactMap(entry) }

    /// The entries' numbers, in order (their folders' names).
    private func ids() -> [Int] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).compactMap(Int.init).sorted()
    }

    public func entry(_ id: Int) -> PlanArchiveEntryBody? {
        guard let data = FileManager.default.contents(atPath: self.folder(of: id).appendingPathComponent("plan.json").path),
              case .success(let entry) = WireJSON.decode(PlanArchiveEntryBody.self, from: Array(data)) else { return nil }
        return entry
    }

    /// Where entry `id`'s copies of the dialplan files are.
    public func folder(of id: Int) -> URL { folder.appendingPathComponent(String(format: "%04d", id)) }

    /// Keeps `loaded` (its files' texts as read, and its prompts' fingerprints now), unless
    /// the newest entry is the same plan; returns the entry (the newest, when not kept again).
    @discardableResult
    public func record(_ loaded: PlanLoader.Result, folder source: String, trigger: String, at date: Date = Date()) throws -> PlanArchiveEntryBody {
        try lock.withLock {
            let prompts = Self.prompts(of: loaded)
            let last = ids().last
            if let newest = last.flatMap(entry), newest.hash == loaded.hash, newest.prompts == prompts { return newest }
            let id = (last ?? 0) + 1
            let target = folder(of: id)
            let staging = folder.appendingPathComponent(".staging-\(id)-\(getpid())")
            try? FileManager.default.removeItem(at: staging)
            try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
            for (name, text) in loaded.texts { try text.write(to: staging.appendingPathComponent(name), atomically: true, encoding: .utf8) }
            let entry = PlanArchiveEntryBody(id: id, hash: loaded.hash, loadedAt: Logger.timestamp(date), trigger: trigger,
                                             folder: source, files: loaded.texts.keys.sorted(), prompts: prompts)
            try Data(WireJSON.document(entry)).write(to: staging.appendingPathComponent("plan.json"), options: .atomic)
            try FileManager.default.moveItem(at: staging, to: target)  // whole or not at all
            return entry
        }
    }

    /// The prompts `loaded` plays, with their files' fingerprints now.
    static func prompts(of loaded: PlanLoader.Result) -> [String: PlanArchiveEntryBody.PromptFile] {
        var prompts: [String: PlanArchiveEntryBody.PromptFile] = [:]
        for name in DialplanChecker.promptsNeeded(by: loaded.plan) {
            let path = loaded.prompts.path(of: name)
            prompts[name] = .init(path: path, fingerprint: fingerprint(path))
        }
        return prompts
    }

    /// `SIZE@MTIME` of a file (what changes when a recording is replaced), or `missing`.
    public static func fingerprint(_ path: String) -> String {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let size = attributes[.size] as? NSNumber, let modified = attributes[.modificationDate] as? Date else { return "missing" }
        return "\(size.intValue)@\(Int64((modified.timeIntervalSince1970 * 1000).rounded()))"
    }

    /// Why `entry`'s prompts no longer play as they did, or nil when every file is as it was.
    public static func promptsChanged(since entry: PlanArchiveEntryBody) -> String? {
        for (name, file) in entry.prompts.sorted(by: { $0.key < $1.key }) {
            let now = fingerprint(file.path)
            if now == file.fingerprint { continue }
            return now == "missing"
                ? "prompt '\(name)' (\(file.path)) has vanished since plan \(entry.id) was loaded"
                : "prompt '\(name)' (\(file.path)) has changed since plan \(entry.id) was loaded"
        }
        return nil
    }
}
