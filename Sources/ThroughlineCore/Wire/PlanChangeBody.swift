/// One change a reload put in force (`PlanChange`), in `POST /api/reload`'s answer.
public struct PlanChangeBody: Codable, Sendable, Equatable {
    /// `added`, `removed` or `changed`.
    public var kind: String
    /// `menu main`, `option 2 of menu main`, `route "5551000"`, `settings`, …
    public var subject: String
    /// For `changed`: each statement that differs, `ring 15s → 20s`.
    public var details: [String]
    /// `file:line:col` in the new plan (the old one for `removed`).
    public var at: String
    /// The whole change as one line, as the log and `throughline reload` print it.
    public var line: String

    public init(_ change: PlanChange) {
        kind = change.kind.rawValue
        subject = change.subject
        details = change.details
        at = change.location.description
        line = change.description
    }
}
