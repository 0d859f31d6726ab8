/// One row of `throughline report --format json` (and csv's columns, in this order): a group's
/// figures over the period or one interval of it. Rates are fractions (0.8 = 80 %), times
/// seconds with one decimal; `null` where a figure has no base (no answered call, …).
public struct ReportRowBody: Codable, Sendable, Equatable {
    public var group: String
    @Nullable public var intervalStart: String?
    public var offered: Int
    public var answered: Int
    public var answeredWithinServiceLevel: Int
    @Nullable public var serviceLevel: Double?
    @Nullable public var averageSpeedOfAnswerSeconds: Double?
    public var abandoned: Int
    public var shortAbandoned: Int
    @Nullable public var abandonRate: Double?
    public var overflowed: Int
    public var emptied: Int
    public var longestWaitSeconds: Double
    public var talkSeconds: Double
    public var completedByCaller: Int
    public var completedByAgent: Int
    public var transferred: Int
    /// Offers that rang out (RINGNOANSWER).
    public var rangOut: Int
    /// Callers who left with a call back keeping their place (CALLBACK); not abandons.
    public var calledBack: Int
    /// By agent: the time they were available (ready or on a call), and occupancy, talk ÷
    /// that time; null in other groupings, and occupancy with no time available.
    @Nullable public var staffedSeconds: Double?
    @Nullable public var occupancy: Double?

    /// `staffed`: the agent's time available in the row's period (agent rows only).
    public init(_ row: QueueReportBuilder.Row, staffed: Duration? = nil) {
        let f = row.figures
        func rate(_ x: Double?) -> Double? { x.map { ($0 * 1000).rounded() / 1000 } }
        group = row.group
        intervalStart = row.intervalStart.map { UTCTimestamp.string(unixMilliseconds: $0) }
        offered = f.offered
        answered = f.answered
        answeredWithinServiceLevel = f.answeredWithinServiceLevel
        serviceLevel = rate(f.serviceLevel)
        averageSpeedOfAnswerSeconds = f.averageSpeedOfAnswer.map(\.secondsToTenths)
        abandoned = f.abandoned
        shortAbandoned = f.shortAbandoned
        abandonRate = rate(f.abandonRate)
        overflowed = f.overflowed
        emptied = f.emptied
        longestWaitSeconds = f.longestWait.secondsToTenths
        talkSeconds = f.talk.secondsToTenths
        completedByCaller = f.completedByCaller
        completedByAgent = f.completedByAgent
        transferred = f.transferred
        rangOut = f.rangOut
        calledBack = f.calledBack
        staffedSeconds = staffed.map(\.secondsToTenths)
        occupancy = staffed.flatMap { $0 > .zero ? rate(Double(f.talk.wholeMilliseconds) / Double($0.wholeMilliseconds)) : nil }
    }

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case group, intervalStart = "interval_start", offered, answered, answeredWithinServiceLevel = "answered_within_sl"
        case serviceLevel = "service_level", averageSpeedOfAnswerSeconds = "asa_s", abandoned, shortAbandoned = "short_abandoned"
        case abandonRate = "abandon_rate", overflowed, emptied, longestWaitSeconds = "longest_wait_s", talkSeconds = "talk_s"
        case completedByCaller = "completed_by_caller", completedByAgent = "completed_by_agent", transferred
        case rangOut = "rang_out", calledBack = "called_back", staffedSeconds = "staffed_s", occupancy
    }

    /// The values in `CodingKeys` order, as csv and the table print them (empty for null).
    public var columns: [String] {
        func n(_ x: Double?) -> String { x.map { String($0) } ?? "" }
        return [group, intervalStart ?? "", String(offered), String(answered), String(answeredWithinServiceLevel), n(serviceLevel),
                n(averageSpeedOfAnswerSeconds), String(abandoned), String(shortAbandoned), n(abandonRate), String(overflowed), String(emptied),
                n(longestWaitSeconds), n(talkSeconds), String(completedByCaller), String(completedByAgent), String(transferred),
                String(rangOut), String(calledBack), n(staffedSeconds), n(occupancy)]
    }
}
