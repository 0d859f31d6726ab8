import Foundation
import ThroughlineCore

/// Tells a campaign's department when it comes: every few seconds on its own queue (never the
/// controller thread) it reads the plan in force, and when a campaign enters its notice period
/// or starts, raises its message in the marquee of its department's desks (every desk when it
/// names none) and logs `event=campaign.announced` / `campaign.started` / `campaign.ended`.
/// A desk that connects later reads the notices in force in its `hello`.
public final class CampaignWatch: @unchecked Sendable {
    public static let interval: DispatchTimeInterval = .seconds(2)

    private let board: StatusBoard
    private let pops: PopHub
    private let logger: Logger
    private var timer: RepeatingTimer?
    /// Each campaign's phase at the last check; nil before the first (which only notes them:
    /// no desk is connected yet at start).
    private var phases: [String: Campaign.Phase]?

    public init(board: StatusBoard, pops: PopHub, logger: Logger) {
        self.board = board
        self.pops = pops
        self.logger = logger
    }

    public func start() {
        timer = RepeatingTimer(label: "throughline.campaign-watch", interval: Self.interval) { [weak self] in self?.check(at: Date().unixMilliseconds) }
        timer?.start()
    }

    public func stop() { timer?.stop() }

    /// One check at `now` (Unix milliseconds). On the watch's queue; tests call it with their
    /// own time.
    public func check(at now: Int64) {
        let campaigns = board.planInForce?.campaigns ?? []
        let current = Dictionary(campaigns.map { ($0.name.value, $0.phase(at: now)) }, uniquingKeysWith: { first, _ in first })
        defer { phases = current }
        guard let before = phases else { return }
        for c in campaigns {
            let phase = current[c.name.value] ?? .later
            guard phase != before[c.name.value] else { continue }
            logger.log(.info, "campaign.\(phase == .running ? "started" : phase.rawValue)",
                       [("campaign", c.name.value), ("department", c.department?.value ?? ""),
                        ("starts", c.starts.map { UTCTimestamp.string(unixMilliseconds: $0.value) } ?? ""),
                        ("ends", c.ends.map { UTCTimestamp.string(unixMilliseconds: $0.value) } ?? "")])
            if let text = c.notice(at: now) { pops.broadcast(text, department: c.department?.value, from: "throughline") }
        }
    }

    /// The notices a desk of an agent in `departments` reads now (campaigns announced or
    /// running with a message, for one of those departments or for every one).
    public static func notices(in plan: Dialplan?, for departments: Set<String>, at now: Int64) -> [String] {
        (plan?.campaigns ?? []).filter { c in c.department.map { departments.contains($0.value) } ?? true }.compactMap { $0.notice(at: now) }
    }
}
