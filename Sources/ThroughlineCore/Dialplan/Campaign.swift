/// `campaign NAME { … }`: a marketing campaign declared before it runs, so the call centre sees
/// it coming (its department's desks get `message` in the marquee from `notice` before
/// `starts`) and watches it while it runs (the wallboard shows calls in the last hour against
/// `expected`). Routes name it (`route "5552000" campaign NAME -> …`); a call arriving by such
/// a route carries the campaign in its records, pops and reports.
public struct Campaign: Sendable, Hashable {
    public var name: Located<String>
    /// What the wallboard and the desks call it. Default: its name.
    public var title: String
    /// The department that answers its calls (its desks get the message; the wallboard's
    /// warning counts its queues' agents). Default: none.
    public var department: Located<String>?
    /// When it runs, in Unix milliseconds (UTC); nil: since always, until removed.
    public var starts: Located<Int64>?
    public var ends: Located<Int64>?
    /// Calls an hour marketing expects while it runs; nil when not said.
    public var expectedPerHour: Int?
    /// What its department's desks read in the marquee before and while it runs.
    public var message: String?
    /// How long before `starts` the desks get the message. Default 1 day.
    public var notice: Duration = Campaign.defaultNotice

    public static let defaultNotice: Duration = .seconds(86400)

    public init(name: Located<String>) {
        self.name = name
        self.title = name.value
    }

    /// Where the campaign stands at `now` (Unix milliseconds).
    public enum Phase: String, Sendable, Hashable {
        /// Not started, and more than `notice` away.
        case later
        /// Not started, within `notice`: the desks are told.
        case announced
        case running
        case ended
    }

    public func phase(at now: Int64) -> Phase {
        if let ends, now >= ends.value { return .ended }
        guard let starts, now < starts.value else { return .running }
        return now >= starts.value - notice.wholeMilliseconds ? .announced : .later
    }

    /// What its department's desks read in the marquee at `now`: the message, with when it
    /// starts (announced) or ends (running); nil in other phases or without a message.
    public func notice(at now: Int64) -> String? {
        guard let message else { return nil }
        let hhmm = { (ms: Int64) in String(UTCTimestamp.string(unixMilliseconds: ms).prefix(16).map { $0 == "T" ? " " : $0 }) + " UTC" }
        switch phase(at: now) {
        case .announced: return "Campaign \(title) starts \(starts.map { hhmm($0.value) } ?? "soon"): \(message)"
        case .running: return "Campaign \(title) is running\(ends.map { " until " + hhmm($0.value) } ?? ""): \(message)"
        case .later, .ended: return nil
        }
    }

    /// Whether this campaign's time and `other`'s share an instant (a missing end runs forever).
    public func overlaps(_ other: Campaign) -> Bool {
        let (a0, a1) = (starts?.value ?? .min, ends?.value ?? .max)
        let (b0, b1) = (other.starts?.value ?? .min, other.ends?.value ?? .max)
        return a0 < b1 && b0 < a1
    }
}
