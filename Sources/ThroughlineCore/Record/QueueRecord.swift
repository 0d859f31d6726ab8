/// One event of a caller's time in a queue, for the durable record (the store's
/// `queue_event` table and the Asterisk-compatible `queue_log` file) that reports are
/// computed from. Emitted by the switchboard (`SwitchboardEffect.record`); the shell stamps
/// the wall-clock time and writes it off the call path. Durations are the switchboard's.
public struct QueueRecord: Sendable, Equatable {
    /// Asterisk's queue_log verbs, for the events Throughline has.
    public enum Event: String, Sendable, CaseIterable {
        /// The caller joined the queue.
        case enterQueue = "ENTERQUEUE"
        /// An agent answered: the caller is bridged.
        case connect = "CONNECT"
        /// The caller hung up while waiting (or while a phone rang).
        case abandon = "ABANDON"
        /// `max-wait` passed: the caller went on to its target.
        case exitWithTimeout = "EXITWITHTIMEOUT"
        /// No agent could take the call (`join-empty no`, `leave-empty yes`).
        case exitEmpty = "EXITEMPTY"
        /// The conversation ended, the caller hanging up.
        case completeCaller = "COMPLETECALLER"
        /// The conversation ended, the agent hanging up.
        case completeAgent = "COMPLETEAGENT"
        /// The agent sent the caller elsewhere (REFER or the desk).
        case transfer = "TRANSFER"
        /// An agent's phone rang for the queue's `ring` and was not answered (`wait`: how
        /// long it rang).
        case ringNoAnswer = "RINGNOANSWER"
        /// The caller left with a call back keeping their place (`wait`: how long they had
        /// waited): not an abandon. The call back's answer is a `CONNECT` under the same id.
        case callback = "CALLBACK"
    }

    public var event: Event
    /// The call's id in the record and queue_log: its reference, else its SIP Call-ID.
    public var callID: String
    public var queue: String
    public var agent: String?
    /// The queue's department and the route's campaign, for reports by either.
    public var department: String?
    public var campaign: String?
    public var caller: String
    /// From joining to this event (CONNECT, ABANDON, EXIT*: the wait; COMPLETE*, TRANSFER:
    /// the wait before the answer); RINGNOANSWER: how long the agent's phone rang.
    public var wait: Duration = .zero
    /// COMPLETE*, TRANSFER: the conversation's length.
    public var talk: Duration = .zero
    /// The caller's place in the queue when they joined (1: first).
    public var position: Int = 1
    /// CONNECT: answered within the queue's `service-level`.
    public var withinServiceLevel = false
    /// ABANDON: within the queue's `short-abandon` (left out of abandon figures).
    public var shortAbandon = false
    /// A repeat call (same number within the window, or a keyed open reference): the
    /// department it is charged to, the one that held the reference when the caller rang back.
    public var chargedTo: String?

    public init(event: Event, callID: String, queue: String, agent: String? = nil, department: String?, campaign: String?, caller: String) {
        self.event = event
        self.callID = callID
        self.queue = queue
        self.agent = agent
        self.department = department
        self.campaign = campaign
        self.caller = caller
    }

    /// The event's data fields in queue_log, as Asterisk writes them (times in whole
    /// seconds). Positions: the caller's place when they joined, for both `position` and
    /// `origposition` (Throughline does not track the place at leaving).
    public var queueLogData: [String] {
        func s(_ d: Duration) -> String { String(d.components.seconds) }
        return switch event {
        case .enterQueue: ["", caller]
        case .connect: [s(wait), callID, "0"]
        case .abandon, .exitWithTimeout, .exitEmpty: [String(position), String(position), s(wait)]
        case .completeCaller, .completeAgent: [s(wait), s(talk), String(position)]
        case .transfer: ["", "", s(wait), s(talk), String(position)]
        case .ringNoAnswer: [String(wait.wholeMilliseconds)]
        case .callback: [String(position), String(position), s(wait)]
        }
    }

    /// One queue_log line: `epoch|callid|queue|agent|EVENT|data…` (`NONE` for no agent).
    public func queueLogLine(epochSeconds: Int64) -> String {
        ([String(epochSeconds), callID, queue, agent ?? "NONE", event.rawValue] + queueLogData).joined(separator: "|")
    }
}
