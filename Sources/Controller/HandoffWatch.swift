import Foundation
import ThroughlineCore

/// Finds hand-offs that fall due, once a second on its own queue (never the controller
/// thread): each is marked in the store (so a restart does not tell anyone twice), logged as
/// `event=handoff.overdue`, sent to its department's desks as a `handoff` event (the inbox
/// marks it) and raised once in their marquee.
public final class HandoffWatch: @unchecked Sendable {
    /// How often the store is asked; a hand-off shows overdue at most this late.
    public static let interval: DispatchTimeInterval = .seconds(1)

    private let book: HandoffBook
    private let board: StatusBoard
    private let pops: PopHub?
    private let logger: Logger
    private var timer: RepeatingTimer?

    public init(book: HandoffBook, board: StatusBoard, pops: PopHub?, logger: Logger) {
        self.book = book
        self.board = board
        self.pops = pops
        self.logger = logger
    }

    /// Starts the checks (the first at once). Called once, by the runner.
    public func start() {
        timer = RepeatingTimer(label: "throughline.handoff-watch", interval: Self.interval) { [weak self] in self?.check(at: Date().unixMilliseconds) }
        timer?.start()
    }

    public func stop() { timer?.stop() }

    /// One check at `now` (Unix milliseconds). Called on the watch's queue.
    func check(at now: Int64) {
        let overdue: [Handoff]
        do {
            overdue = try book.markOverdue(at: now)
        } catch {
            return logger.log(.error, "handoff.failed", [("why", "the overdue check failed"), ("error", "\(error)")])
        }
        guard !overdue.isEmpty else { return }
        let titles = Dictionary(board.handoffDepartments.map { ($0.name, $0.title) }, uniquingKeysWith: { first, _ in first })
        for h in overdue {
            let title = titles[h.department] ?? h.department
            logger.log(.warning, "handoff.overdue", [("handoff", String(h.id)), ("reference", h.reference.description), ("department", h.department),
                                                     ("owner", h.owner ?? ""), ("due", h.dueAt.map { UTCTimestamp.string(unixMilliseconds: $0) } ?? ""),
                                                     ("from", h.fromAgent)])
            pops?.publish(department: h.department, .handoff(HandoffBody(h, departmentTitle: title, at: now)))
            pops?.broadcast("Overdue hand-off \(h.id) on reference \(h.reference) (\(h.owner.map { "owner \($0)" } ?? "unassigned")): \(h.note)",
                            department: h.department, from: "throughline")
        }
    }
}
