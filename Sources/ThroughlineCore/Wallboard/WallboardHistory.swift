/// The last hour, a minute at a time, for the wallboard's chart: the most callers waiting at
/// once in each minute and the service level today at its end. Pure: the shell samples it
/// (twice a second) with the time.
public struct WallboardHistory: Sendable, Equatable {
    public struct Minute: Sendable, Equatable {
        /// The minute's first millisecond (Unix).
        public var at: Int64
        public var peakWaiting: Int
        /// Today's service level (0–1) when last sampled; nil while there is no base.
        public var serviceLevel: Double?

        public init(at: Int64, peakWaiting: Int, serviceLevel: Double?) {
            self.at = at
            self.peakWaiting = peakWaiting
            self.serviceLevel = serviceLevel
        }
    }

    /// Oldest first, at most `length`.
    public private(set) var minutes: [Minute] = []
    public static let length = 60

    public init() {}

    public mutating func sample(at now: Int64, waiting: Int, serviceLevel: Double?) {
        let minute = QueueReportBuilder.start(of: now, every: 60_000)
        if let last = minutes.last, last.at == minute {
            minutes[minutes.count - 1].peakWaiting = max(last.peakWaiting, waiting)
            minutes[minutes.count - 1].serviceLevel = serviceLevel
        } else if minutes.last.map({ $0.at < minute }) ?? true {
            minutes.append(Minute(at: minute, peakWaiting: waiting, serviceLevel: serviceLevel))
        }
        // Minutes with no sample (the process was stopped, the clock jumped) are gaps; only
        // the last hour is kept.
        minutes.removeAll { $0.at <= minute - Int64(Self.length) * 60_000 }
    }
}
