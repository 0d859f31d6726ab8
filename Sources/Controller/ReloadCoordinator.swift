import Foundation
import ThroughlineCore

/// Reloads the plan for SIGHUP, `throughline reload` and `POST /api/reload`: reads and checks
/// the files off the controller thread, and only when there is no error hands the new plan to
/// the controller, which installs it between two events. Reloads are serialized.
///
/// `reload` blocks its caller (a signal-handling queue or an HTTP thread, never the
/// controller thread) until the plan is installed or refused.
public final class ReloadCoordinator: @unchecked Sendable {
    public struct Outcome: Sendable {
        /// The plan now in force: the new one, or the one that stays.
        public var plan: PlanVersion?
        public var reloaded: Bool
        public var errors: [Diagnostic]
        public var warnings: [Diagnostic]
        /// What the new plan changed against the one that was running.
        public var changes: [PlanChange] = []
    }

    private let folder: String
    private let queue: EventQueue<ControllerInput>
    private let logger: Logger
    private let board: StatusBoard
    private let serial = NSLock()
    /// The plan in force, as the controller installed it: what the next reload is compared with.
    private var running: PlanVersion?
    /// Every plan that went in force (nil: none kept).
    public let archive: PlanArchive?

    /// `running`: the plan the controller started with.
    public init(folder: String, queue: EventQueue<ControllerInput>, board: StatusBoard, logger: Logger, running: PlanVersion? = nil,
                archive: PlanArchive? = nil) {
        self.running = running
        self.archive = archive
        self.folder = folder
        self.queue = queue
        self.board = board
        self.logger = logger
    }

    /// What a reload would do now, without installing anything: the files' diagnostics and,
    /// when they have no error, the changes against the plan in force. Called on an HTTP
    /// thread (`GET /api/plan/preview`, `throughline check --against-running`).
    public func preview() -> Outcome {
        serial.lock()
        defer { serial.unlock() }
        let result = PlanLoader.load(folder: folder)
        guard let candidate = PlanVersion(result) else {
            return Outcome(plan: running, reloaded: false, errors: result.diagnostics.errors, warnings: result.diagnostics.warnings)
        }
        let changes = running.map { PlanDiff.changes(from: $0.plan, to: candidate.plan) } ?? []
        return Outcome(plan: running, reloaded: false, errors: [], warnings: candidate.warnings, changes: changes)
    }

    public func reload(trigger: String) -> Outcome {
        serial.lock()
        defer { serial.unlock() }
        let started = DispatchTime.now().uptimeNanoseconds
        let result = PlanLoader.load(folder: folder)
        let ms = String(format: "%.1f", Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6)
        guard let candidate = PlanVersion(result) else {
            let errors = result.diagnostics.errors
            logger.log(.warning, "plan.reload-refused", [("trigger", trigger), ("errors", String(errors.count)),
                                                         ("kept_plan", String(board.snapshot.plan?.version ?? 0)), ("check_ms", ms)])
            for error in errors { logger.log(.warning, "plan.diagnostic", [("diagnostic", error.description)]) }
            return Outcome(plan: nil, reloaded: false, errors: errors, warnings: result.diagnostics.warnings)
        }
        return install(candidate, from: result, trigger: trigger, fields: [("check_ms", ms)])
    }

    /// Puts an archived plan back (`id`, or the plan in force before the current one) through
    /// the same checked path as a reload: its copied files are read and checked again, and it
    /// is refused when a prompt it played has changed or vanished since, or it no longer
    /// checks. Calls in progress keep their plan. The dialplan folder's files are left as they
    /// are (a later reload reads them again). Called on an HTTP thread.
    public func rollback(to id: Int?, trigger: String) -> Rollback {
        serial.lock()
        defer { serial.unlock() }
        guard let archive else { return .refused(404, "this controller keeps no plan history (no data folder)") }
        let entries = archive.entries()
        let target: PlanArchiveEntryBody?
        if let id {
            target = entries.first { $0.id == id }
            guard target != nil else { return .refused(404, "no plan \(id) in the history (\(entries.map { String($0.id) }.joined(separator: ", ")))") }
        } else {
            // The newest entry is the plan in force: the one before it with another content.
            let current = running?.hash ?? entries.last?.hash
            target = entries.reversed().first { $0.hash != current }
            guard target != nil else { return .refused(404, "no earlier plan in the history to roll back to") }
        }
        let entry = target!
        if let why = PlanArchive.promptsChanged(since: entry) {
            logger.log(.warning, "plan.rollback-refused", [("to", String(entry.id)), ("why", why)])
            return .refused(409, why)
        }
        let result = PlanLoader.load(folder: archive.folder(of: entry.id).path, base: entry.folder)
        guard let candidate = PlanVersion(result) else {
            let errors = result.diagnostics.errors
            logger.log(.warning, "plan.rollback-refused", [("to", String(entry.id)), ("why", "the plan no longer checks"), ("errors", String(errors.count))])
            return .failed(Outcome(plan: running, reloaded: false, errors: errors, warnings: result.diagnostics.warnings))
        }
        return .done(install(candidate, from: result, trigger: "rollback to \(entry.id) (\(trigger))", fields: [("to", String(entry.id))]), to: entry.id)
    }

    /// What a rollback did.
    public enum Rollback: Sendable {
        case done(Outcome, to: Int)
        /// Not attempted: the HTTP status and the reason.
        case refused(Int, String)
        /// The archived plan no longer checks (its errors in the outcome).
        case failed(Outcome)
    }

    /// Hands `candidate` to the controller, waits for it to be in force, logs the change and
    /// keeps it in the archive. Called with `serial` held.
    private func install(_ candidate: PlanVersion, from result: PlanLoader.Result, trigger: String, fields: [(String, String)]) -> Outcome {
        let changes = running.map { PlanDiff.changes(from: $0.plan, to: candidate.plan) } ?? []
        let reply = Reply<PlanVersion>()
        queue.post(.planLoaded(candidate, installed: reply.answer))
        guard let installed = reply.wait(seconds: 10) else {
            logger.log(.error, "plan.reload-stalled", [("trigger", trigger), ("why", "the controller did not install the plan within 10 s")])
            return Outcome(plan: nil, reloaded: false,
                           errors: [.error(SourceLocation(file: folder, line: 0, column: 0), "the controller did not install the plan within 10 s")],
                           warnings: candidate.warnings)
        }
        running = installed
        logger.log(.info, "plan.reloaded", [("trigger", trigger), ("plan", String(installed.version)), ("plan_hash", installed.hash)] + fields
                                           + [("changes", String(changes.count))])
        for change in changes {
            logger.log(.info, "plan.change", [("plan", String(installed.version)), ("kind", change.kind.rawValue), ("what", change.subject),
                                              ("details", change.details.joined(separator: "; ")), ("at", change.location.description)])
        }
        keep(result, trigger: trigger)
        return Outcome(plan: installed, reloaded: true, errors: [], warnings: installed.warnings, changes: changes)
    }

    /// Keeps a plan that went in force in the archive; a failure is logged, never fatal.
    /// Called at start (`throughline run`) and after each install.
    public func keep(_ result: PlanLoader.Result, trigger: String) {
        guard let archive else { return }
        do {
            let entry = try archive.record(result, folder: folder, trigger: trigger)
            logger.log(.info, "plan.archived", [("id", String(entry.id)), ("plan_hash", entry.hash), ("path", archive.folder(of: entry.id).path)])
        } catch {
            logger.log(.warning, "plan.archive-failed", [("error", "\(error)")])
        }
    }
}
