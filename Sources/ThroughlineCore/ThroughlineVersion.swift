/// The release, printed by `throughline version` and sent as the SIP User-Agent.
public enum ThroughlineVersion {
    public static let current = "0.1.0"
}
