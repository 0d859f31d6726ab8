/// `route "NUMBER" [campaign "NAME"] [priority N] -> TARGET` or `route default -> TARGET`.
public struct Route: Sendable, Hashable {
    /// The dialled user part it matches exactly; nil for the default route.
    public var number: String?
    /// A campaign name stamped on calls that arrive by this route (reports, screen pops).
    public var campaign: String?
    /// Priority of these callers in queues (0–100, higher first).
    public var priority: Int
    public var target: Located<Target>
    public var location: SourceLocation

    public init(number: String?, campaign: String?, priority: Int, target: Located<Target>, location: SourceLocation) {
        self.number = number
        self.campaign = campaign
        self.priority = priority
        self.target = target
        self.location = location
    }
}
