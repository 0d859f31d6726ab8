extension Duration {
    /// Whole nanoseconds, negative durations as 0: deadlines for `TimerHeap` and times on the
    /// controller's monotonic clock. Used by the switchboard and its shell alike.
    public var clampedNanoseconds: UInt64 {
        UInt64(max(0, components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000))
    }

    /// Whole milliseconds (truncated): stored waits and talk times, durations as the plan
    /// spells them.
    public var wholeMilliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }

    /// Seconds rounded to one decimal, as the reports' JSON and CSV show times.
    public var secondsToTenths: Double {
        ((Double(components.seconds) + Double(components.attoseconds) / 1e18) * 10).rounded() / 10
    }
}
