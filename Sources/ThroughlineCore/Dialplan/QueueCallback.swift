/// A queue's `callback …` statements: whether waiting callers are offered a call back that
/// keeps their place, and how it is placed. A menu option `-> callback QUEUE` reaches the same
/// confirmation whether or not the queue offers it while waiting.
public struct QueueCallback: Sendable, Hashable {
    /// Who is called first when the callback reaches the head of the queue and an agent is free.
    public enum Mode: String, Sendable, Hashable, CaseIterable {
        /// The agent is rung first (their desk pops "callback"); once they answer, the customer.
        case agentFirst = "agent-first"
        /// The customer is called first (the free agent is held for them meanwhile); once they
        /// key 1 they hear the queue's music and the agent is rung.
        case customerFirst = "customer-first"
    }

    /// `callback key 1 after 60s`: the key that asks for it, offered once the caller has waited
    /// `after` (and again with each position announcement). nil: not offered while waiting.
    public var key: DTMFDigit?
    public var after: Duration = .seconds(60)
    /// `callback mode agent-first|customer-first`.
    public var mode: Mode = .agentFirst
    /// `callback retry 5m`: the wait before calling again a customer who did not answer, was
    /// busy, or keyed nothing.
    public var retry: Duration = .seconds(300)
    /// `callback attempts 3`: calls to the customer before the callback is given up.
    public var attempts = 3
    /// Where the queue's first `callback` statement is (nil: none).
    public var location: SourceLocation?

    public init() {}
}
