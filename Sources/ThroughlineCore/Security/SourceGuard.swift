/// Stops password guessing, fail2ban-style, inside the registrar: after `Rules.maxFailures`
/// failed authentications from one source address within `Rules.window`, that source is
/// ignored for `Rules.blockFor` (every new request from it dropped unanswered, so a guesser learns
/// nothing, not even that it was blocked).
///
/// A value with no clock or thread: the SIP adapter keeps one behind a lock, calls
/// `failed(_:at:)` from PJSIP's worker threads when a REGISTER is refused and `isBlocked`
/// for every request, passing its monotonic time.
public struct SourceGuard: Sendable {
    /// The plan's `auth-failures`, `auth-failure-window` and `auth-block` settings.
    public struct Rules: Sendable, Hashable {
        /// Failures within `window` that block a source; 0 never blocks.
        public var maxFailures: Int
        public var window: Duration
        public var blockFor: Duration
        /// Addresses never blocked (a proxy or SBC that relays every phone's requests).
        public var trusted: Set<String>

        public init(maxFailures: Int, window: Duration, blockFor: Duration, trusted: Set<String> = []) {
            self.maxFailures = maxFailures
            self.window = window
            self.blockFor = blockFor
            self.trusted = trusted
        }

        public init(_ settings: PlanSettings) {
            self.init(maxFailures: settings.authFailures, window: settings.authFailureWindow, blockFor: settings.authBlock,
                      trusted: Set(settings.trusted))
        }
    }

    public var rules: Rules
    /// Recent failures' times per source, oldest first (only those within the window).
    private var failures: [String: [Duration]] = [:]
    /// Blocked sources and when their block ends.
    private var blocked: [String: Duration] = [:]

    public init(rules: Rules) { self.rules = rules }

    /// A failed authentication from `source` at `now`. Returns how many failures the window
    /// holds when this one starts a block; nil otherwise (including for a source already
    /// blocked, whose requests should not have reached the registrar).
    public mutating func failed(_ source: String, at now: Duration) -> Int? {
        guard rules.maxFailures > 0, !rules.trusted.contains(source), !isBlocked(source, at: now) else { return nil }
        var recent = failures[source, default: []].filter { now - $0 < rules.window }
        recent.append(now)
        guard recent.count >= rules.maxFailures else {
            failures[source] = recent
            if failures.count > 10_000 { forgetQuiet(at: now) }
            return nil
        }
        failures[source] = nil
        blocked[source] = now + rules.blockFor
        return recent.count
    }

    /// Whether requests from `source` are ignored at `now`.
    public func isBlocked(_ source: String, at now: Duration) -> Bool {
        guard let until = blocked[source] else { return false }
        return now < until
    }

    /// Ends the block on `source` if it is due at `now`; returns whether it ended.
    public mutating func unblockIfDue(_ source: String, at now: Duration) -> Bool {
        guard let until = blocked[source], now >= until else { return false }
        blocked[source] = nil
        return true
    }

    /// Sources blocked at `now`.
    public func blockedSources(at now: Duration) -> [String] {
        blocked.filter { now < $0.value }.keys.sorted()
    }

    /// Drops failure counts older than the window, so a scan from many addresses cannot grow
    /// the table without bound.
    private mutating func forgetQuiet(at now: Duration) {
        failures = failures.filter { _, times in times.last.map { now - $0 < rules.window } ?? false }
    }
}
