import ThroughlineCore

/// The repeatable generator fuzz and engine tests seed (the core's SplitMix64).
public typealias SeededGenerator = SplitMix64
