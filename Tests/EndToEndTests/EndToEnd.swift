import Testing

/// The end-to-end suites: the real `throughline` binary on free loopback ports, driven by SIPp
/// callers. Serialized (with every nested suite) so RTP timing is measured on a quiet machine
/// and no two controllers compete for the two cores.
@Suite("End to end", .serialized)
struct EndToEnd {}
