/// The release, printed by `throughline version` and `GET /api/health` on the HTTP port;
/// never sent over SIP, whose User-Agent is the bare product name.
public enum ThroughlineVersion {
    public static let current = "0.1.0"
}
