extension Duration {
    /// Whole nanoseconds, negative durations as 0: deadlines for `TimerHeap` and times on the
    /// controller's monotonic clock. Used by the switchboard and its shell alike.
    public var clampedNanoseconds: UInt64 {
        UInt64(max(0, components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000))
    }
}
