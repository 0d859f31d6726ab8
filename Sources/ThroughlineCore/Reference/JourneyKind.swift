/// What kind of event a reference's journey records. Stored as its raw text (the `kind`
/// column, the API's `kind` field, which desks and reports read), so the raw values are a
/// public contract; a row written by another version may carry a kind not listed here, so
/// readers keep the text (`ReferenceSummary.Event.kind`).
public enum JourneyKind: String, Sendable, Codable, CaseIterable {
    /// A call issued the reference (its first touch).
    case call
    /// The caller rang again within the repeat window with the reference open; the detail
    /// names the department charged with the repeat.
    case `repeat`
    /// A menu entered, an option chosen, or the menus' failure route.
    case menu
    /// Keying a reference: refused, looked up, found.
    case reference
    /// A keyed reference: this call continues on it.
    case attached
    /// A hunt's outcome.
    case hunt
    /// Joining a queue, and the queue's outcome.
    case queue
    /// A call back: requested (the place kept), offered, placed, connected, retried, given
    /// up, cancelled.
    case callback
    /// An agent's transfer (REFER or the desk), or its refusal.
    case transfer
    /// The call ended, with its outcome and SIP code.
    case ended
    /// A person's note (any department).
    case note
    /// Someone resolved the reference.
    case resolved
    /// What a call was about, as its agent named it in wrap-up (a subject the plan's
    /// departments handle, or "other: …").
    case reason
    /// An agent handed the reference to a department (with the note), or claimed a
    /// hand-off.
    case handoff
}
