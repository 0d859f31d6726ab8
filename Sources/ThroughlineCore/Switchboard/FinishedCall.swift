/// A call that has ended, as its record keeps it (`SwitchboardEffect.callFinished`); the shell
/// dates it (arrival = now − `elapsed`) and stores it.
public struct FinishedCall: Sendable, Equatable {
    public var call: CallHandle
    public var sipCallID: String
    public var reference: ReferenceNumber?
    public var from: String
    public var to: String
    public var route: String
    public var campaign: String?
    public var plan: Int
    public var planHash: String
    public var code: Int
    public var reason: String
    public var outcome: CallOutcome
    public var keys: String
    /// The caller's path: each step with its time since arrival (`13s`, `play main-short`).
    public var steps: [PathStepBody]
    /// From arrival to the end.
    public var elapsed: Duration
}
