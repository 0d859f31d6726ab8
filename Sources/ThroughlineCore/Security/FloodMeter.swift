/// Sheds request floods per source address, like Kamailio's `pike`: new requests from each
/// address are counted over a sample of `Rules.window` (2 s by default); an address that sends
/// more than `Rules.limit` in one sample has the rest of that sample's requests dropped, and
/// stays shed for every following sample in which it goes on sending more than the limit
/// (dropped requests count: a flood that keeps going stays shed). The first sample in which it
/// sends no more than the limit ends it. Other addresses are not affected.
///
/// A value with no clock or thread: the SIP adapter keeps one behind a lock, calls
/// `request(from:)` on PJSIP's worker threads for every new request and `sample()` from a timer
/// every `Rules.window`.
public struct FloodMeter: Sendable {
    /// The plan's `flood-limit` and `flood-window` settings and its `trusted` addresses.
    public struct Rules: Sendable, Hashable {
        /// New requests per window from one address beyond which the rest are dropped; 0 sheds nothing.
        public var limit: Int
        public var window: Duration
        /// Addresses never shed (a proxy, SBC or carrier trunk that relays everyone's calls).
        public var trusted: Set<String>

        public init(limit: Int, window: Duration, trusted: Set<String> = []) {
            self.limit = limit
            self.window = window
            self.trusted = trusted
        }

        public init(_ settings: PlanSettings) {
            self.init(limit: settings.floodLimit, window: settings.floodWindow, trusted: Set(settings.trusted))
        }
    }

    /// What `request(from:)` decided.
    public enum Verdict: Sendable, Equatable {
        /// Handle the request as usual.
        case pass
        /// This request took its address over the limit: it and the rest are dropped from now.
        case startShedding
        /// The address is being shed: drop the request unanswered.
        case drop
    }

    /// An address whose shedding ended at a sample: how long it lasted, in samples, and how
    /// many of its requests were dropped meanwhile.
    public struct Ended: Sendable, Equatable {
        public var source: String
        public var samples: Int
        public var dropped: Int

        public init(source: String, samples: Int, dropped: Int) {
            self.source = source
            self.samples = samples
            self.dropped = dropped
        }
    }

    public var rules: Rules
    /// Requests per address in the current sample.
    private var counts: [String: Int] = [:]
    /// Addresses being shed: samples begun while shed, and requests dropped.
    private var shed: [String: (samples: Int, dropped: Int)] = [:]

    /// Most addresses counted in one sample: beyond it (a flood from spoofed addresses), new
    /// addresses pass uncounted until the next sample, so memory stays bounded.
    public static let maxSources = 100_000

    public init(rules: Rules) { self.rules = rules }

    /// One new request from `source`. Called for every request before it is handled.
    public mutating func request(from source: String) -> Verdict {
        guard rules.limit > 0, !rules.trusted.contains(source) else { return .pass }
        guard counts.count < Self.maxSources || counts[source] != nil else { return .pass }
        let count = counts[source, default: 0] + 1
        counts[source] = count
        if shed[source] != nil {
            shed[source]!.dropped += 1
            return .drop
        }
        guard count > rules.limit else { return .pass }
        shed[source] = (samples: 1, dropped: 1)
        return .startShedding
    }

    /// Ends the current sample: addresses shed that sent no more than the limit in it are
    /// handled again (returned); the others stay shed for the next sample. Called every
    /// `rules.window`.
    public mutating func sample() -> [Ended] {
        var ended: [Ended] = []
        for (source, state) in shed {
            if counts[source, default: 0] <= rules.limit || rules.limit == 0 || rules.trusted.contains(source) {
                ended.append(Ended(source: source, samples: state.samples, dropped: state.dropped))
                shed[source] = nil
            } else {
                shed[source]!.samples += 1
            }
        }
        counts.removeAll(keepingCapacity: true)
        return ended.sorted { $0.source < $1.source }
    }

    /// Addresses being shed now, by address.
    public var shedSources: [String] { shed.keys.sorted() }

    /// Requests counted from `source` in the current sample.
    public func count(from source: String) -> Int { counts[source, default: 0] }
}
