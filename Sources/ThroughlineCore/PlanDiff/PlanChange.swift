/// One difference between the running plan and a new one, in the plan's own terms: a route,
/// menu, option, queue, hunt, agent, department or the settings, added, removed or changed,
/// with where it is written (the new plan's place; the old one's for a removal).
public struct PlanChange: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case added, removed, changed
    }

    public var kind: Kind
    /// What changed: `menu main`, `option 2 of menu main`, `route "5551000"`, `settings`.
    public var subject: String
    /// For a change: each statement that differs, `ring 15s → 20s`; empty otherwise.
    public var details: [String]
    public var location: SourceLocation

    public init(_ kind: Kind, _ subject: String, details: [String] = [], at location: SourceLocation) {
        self.kind = kind
        self.subject = subject
        self.details = details
        self.location = location
    }

    /// `main.dialplan:12:7: changed: queue sales: ring 15s → 20s; wrap-up 10s → 30s`
    public var description: String {
        "\(location): \(kind.rawValue): \(subject)" + (details.isEmpty ? "" : ": " + details.joined(separator: "; "))
    }
}
