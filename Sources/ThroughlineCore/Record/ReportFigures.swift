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

    /// Adds one event.
    public mutating func add(_ r: QueueRecord) {
        switch r.event {
        case .enterQueue:
            offered += 1
        case .connect:
            answered += 1
            if r.withinServiceLevel { answeredWithinServiceLevel += 1 }
            answerWait += r.wait
        case .abandon:
            if r.shortAbandon { shortAbandoned += 1 } else { abandoned += 1 }
        case .exitWithTimeout:
            overflowed += 1
        case .exitEmpty:
            emptied += 1
        case .completeCaller:
            completedByCaller += 1
            talk += r.talk
        case .completeAgent:
            completedByAgent += 1
            talk += r.talk
        case .transfer:
            transferred += 1
            talk += r.talk
        }
        switch r.event {
        case .connect, .abandon, .exitWithTimeout, .exitEmpty: longestWait = max(longestWait, r.wait)
        default: break
        }
    }
}
