/// Where hand-offs live (the store, `Store.ReferenceStore`). Each method is one transaction
/// that applies `HandoffRules` to what is stored, so two desks racing for one hand-off
/// cannot both win and a refused request writes nothing. `now` is Unix milliseconds.
///
/// Called from HTTP threads (hand-off, claim, lists), the controller thread (a repeat
/// caller's charge) and the overdue watch's queue; implementations serialise their own access.
public protocol HandoffBook: AnyObject, Sendable {
    /// Hands `reference` to `department` (checked by `HandoffRules.check`): closes the open
    /// hand-off it had (handed on), assigns the owner by the department's rule, makes the
    /// department and owner the reference's holder, and writes a `handoff` journey event.
    func handOff(_ reference: ReferenceNumber, to department: HandoffDepartment, note: String, due: Duration?,
                 by author: String, at now: Int64) throws -> Result<Handoff, HandoffRefusal>
    /// `agent` takes the hand-off (`HandoffRules.claim`); the reference's holder becomes them.
    func claim(_ id: Int64, by agent: String, agentDepartments: Set<String>, at now: Int64) throws -> Result<Handoff, HandoffRefusal>
    func handoff(_ id: Int64) throws -> Handoff?
    /// The reference's open hand-off, if any.
    func openHandoff(_ reference: ReferenceNumber) throws -> Handoff?
    /// Hand-offs, newest first: one department's or all, open ones only or every one.
    func handoffs(department: String?, openOnly: Bool) throws -> [Handoff]
    /// A repeat caller on `reference` (which `department` holds): writes the `repeat`
    /// journey event and counts the call against the open hand-off, which it returns (nil:
    /// none open). One transaction, on the controller thread before the call is routed.
    func chargeRepeat(_ reference: ReferenceNumber, department: String?, call: String) throws -> Handoff?
    /// Open hand-offs past due at `now` not yet marked: marks them and returns them (each is
    /// returned once, so its department is told once).
    func markOverdue(at now: Int64) throws -> [Handoff]
}
