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

    /// `running`: the plan the controller started with.
    public init(folder: String, queue: EventQueue<ControllerInput>, board: StatusBoard, logger: Logger, running: PlanVersion? = nil) {
        self.running = running
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
        logger.log(.info, "plan.reloaded", [("trigger", trigger), ("plan", String(installed.version)), ("plan_hash", installed.hash), ("check_ms", ms),
                                            ("changes", String(changes.count))])
        for change in changes {
            logger.log(.info, "plan.change", [("plan", String(installed.version)), ("kind", change.kind.rawValue), ("what", change.subject),
                                              ("details", change.details.joined(separator: "; ")), ("at", change.location.description)])
        }
        return Outcome(plan: installed, reloaded: true, errors: [], warnings: installed.warnings, changes: changes)
    }
}
