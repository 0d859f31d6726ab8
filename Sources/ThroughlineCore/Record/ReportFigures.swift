/// The figures of one group (a queue, a department, a campaign or an agent) over a period, as
/// `docs/metrics.md` defines them, computed from the durable record by `QueueReportBuilder`.
public struct ReportFigures: Sendable, Equatable {
    /// Callers who joined (ENTERQUEUE).
    public var offered = 0
    /// Answered by an agent (CONNECT), and of those within the queue's service level.
    public var answered = 0
    public var answeredWithinServiceLevel = 0
    /// Hung up while waiting after the queue's short-abandon time (ABANDON), and within it.
    public var abandoned = 0
    public var shortAbandoned = 0
    /// Sent on by max-wait (EXITWITHTIMEOUT), and by no agent being there (EXITEMPTY).
    public var overflowed = 0
    public var emptied = 0
    /// Conversations ended by the caller, by the agent, by a transfer.
    public var completedByCaller = 0
    public var completedByAgent = 0
    public var transferred = 0
    /// Offers whose phone rang out (RINGNOANSWER): by agent, the calls they let ring.
    public var rangOut = 0
    /// Callers who left with a call back keeping their place (CALLBACK): not abandons; the
    /// call back's connection is a CONNECT like any answer.
    public var calledBack = 0
    /// The sum of answered callers' waits (for the ASA), the longest wait of any outcome, and
    /// the total conversation time.
    public var answerWait: Duration = .zero
    public var longestWait: Duration = .zero
    public var talk: Duration = .zero

    public init() {}

    /// Answered within the service level ÷ (answered + abandoned after the short-abandon
    /// time); nil when neither happened.
    public var serviceLevel: Double? {
        let base = answered + abandoned
        return base == 0 ? nil : Double(answeredWithinServiceLevel) / Double(base)
    }

    /// Average speed of answer: the mean wait of answered callers; nil with none.
    public var averageSpeedOfAnswer: Duration? { answered == 0 ? nil : answerWait / answered }

    /// Abandoned ÷ (answered + abandoned), short abandons left out of both.
    public var abandonRate: Double? {
        let base = answered + abandoned
        return base == 0 ? nil : Double(abandoned) / Double(base)
    }

    /// Adds the events of one total.
    public mutating func add(_ t: QueueEventTotal) {
        let wait = Duration.milliseconds(t.waitSum), talk = Duration.milliseconds(t.talkSum)
        switch t.event {
        case .enterQueue: offered += t.count
        case .connect:
            answered += t.count
            answeredWithinServiceLevel += t.withinServiceLevel
            answerWait += wait
        case .abandon:
            shortAbandoned += t.short
            abandoned += t.count - t.short
        case .exitWithTimeout: overflowed += t.count
        case .exitEmpty: emptied += t.count
        case .completeCaller: completedByCaller += t.count; self.talk += talk
        case .completeAgent: completedByAgent += t.count; self.talk += talk
        case .transfer: transferred += t.count; self.talk += talk
        case .ringNoAnswer: rangOut += t.count
        case .callback: calledBack += t.count
        }
        switch t.event {
        case .connect, .abandon, .exitWithTimeout, .exitEmpty: longestWait = max(longestWait, .milliseconds(t.waitMax))
        default: break
        }
    }
}
