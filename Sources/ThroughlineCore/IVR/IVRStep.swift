/// One thing that happened in an IVR run, kept in the call's records (the caller's path for
/// screen pops) and printed by `throughline simulate`.
public struct IVRStep: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case menuEntered(String, attempt: Int)
        case prompt([String])
        case waiting(Duration)
        case key(DTMFDigit)
        case bargeIn
        case chosen(keys: String, Target)
        case invalid(keys: String)
        case noInput
        case failure(Target)
        case ended(IVROutcome)
        /// What happened while a hunt group rang (who answered, who was busy, ring-outs).
        case hunt(String)
        /// An agent's transfer of the caller (REFER or the desk), accepted or refused.
        case transfer(String)
        /// What happened in a queue (joined, offered, announced, answered, left).
        case queue(String)
        /// A keyed reference: refused, looked up, found.
        case reference(String)
    }

    /// Time since the run started.
    public var at: Duration
    public var kind: Kind

    public init(at: Duration, _ kind: Kind) {
        self.at = at
        self.kind = kind
    }

    public var description: String {
        switch kind {
        case .menuEntered(let m, let attempt): attempt == 1 ? "menu \(m)" : "menu \(m), attempt \(attempt)"
        case .prompt(let names): "play \(names.joined(separator: " + "))"
        case .waiting(let d): "wait up to \(StatementReader.format(d)) for a key"
        case .key(let d): "key \(d)"
        case .bargeIn: "prompt stopped by the key (barge-in)"
        case .chosen(let keys, let t): "option \(keys) -> \(t)"
        case .invalid(let keys): "invalid entry \(keys)"
        case .noInput: "no key before the timeout"
        case .failure(let t): "attempts used up: on-failure -> \(t)"
        case .ended(let o): "ends: \(o)"
        case .hunt(let text): text
        case .transfer(let text): text
        case .queue(let text): text
        case .reference(let text): text
        }
    }
}
