/// `route "NUMBER" [campaign NAME[, NAME…]] [priority N] -> TARGET` or `route default -> TARGET`.
public struct Route: Sendable, Hashable {
    /// The dialled user part it matches exactly; nil for the default route.
    public var number: String?
    /// The campaigns whose calls arrive by this route (a number reused campaign after
    /// campaign), in the order written. A call takes the one running when it arrives
    /// (`Dialplan.campaign(for:at:)`); reports, pops and the wallboard count it there.
    public var campaigns: [Located<String>]
    /// Priority of these callers in queues (0–100, higher first).
    public var priority: Int
    public var target: Located<Target>
    public var location: SourceLocation

    public init(number: String?, campaigns: [Located<String>] = [], priority: Int, target: Located<Target>, location: SourceLocation) {
        self.number = number
        self.campaigns = campaigns
        self.priority = priority
        self.target = target
        self.location = location
    }
}
