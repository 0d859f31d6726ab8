/// Settings of `throughline run`, with the defaults a fresh checkout works with.
public struct RunOptions: Sendable, Equatable {
    /// Folder of `*.dialplan` files, loaded together as one plan.
    public var dialplans = "dialplans"
    /// SIP (UDP) listening address. Loopback unless the admin says otherwise.
    public var sip = HostPort(host: "127.0.0.1", port: 5060)
    /// HTTP (API, agent desk) listening address.
    public var http = HostPort(host: "127.0.0.1", port: 8080)
    /// Data folder: database, admin token.
    public var data = "var"
    /// A PostgreSQL URL (`--store postgresql://…`): the store several nodes share, instead of
    /// `<data>/throughline.sqlite`.
    public var store: String?
    /// The admin API token (else `THROUGHLINE_ADMIN_TOKEN`, else `<data>/admin-token`).
    public var adminToken: String?
    /// RTP ports for calls' media, inclusive; each call takes two (RTP and RTCP).
    public var rtpPorts: ClosedRange<UInt16> = 10000...20000
    /// Calls held at once; nil (the default): as many as the pjproject build, the RTP port
    /// range and the open-file limit allow (`CallCapacity`), which an admin's number is capped by.
    public var maxCalls: Int?
    /// Threads that carry calls' media (pjmedia's conference bridge: its clock thread and
    /// workers, each reading, mixing, encoding and sending a share of the calls' frames); nil
    /// (the default): one a core.
    public var mediaThreads: Int?
    /// How a caller alone with a prompt is sent it: `direct` (true, the default), a media
    /// thread puts each frame to the call's stream; `bridge`, through the conference bridge's
    /// read, mix and write, as before 2026-12-03 (`--prompt-media`).
    public var directPrompts = true
    /// Lowest level of Throughline's own log lines.
    public var logLevel: LogLine.Level = .info
    /// PJSIP's own logging (0 none … 6 everything), forwarded into the log as `event=pjsip`.
    public var pjsipLogLevel = 1
    /// `http://HOST:PORT/PATH` the CRM webhook posts to (offer, answer, end); none by default.
    public var webhook: String?
    /// SIP over TLS (RFC 3261 section 26.2): its listening address, certificate chain and
    /// private key (PEM files). None by default; all three together or none.
    public var sipTLS: TLSListener?

    /// Where SIP over TLS listens and with which certificate.
    public struct TLSListener: Sendable, Equatable {
        public var address: HostPort
        public var certificate: String
        public var privateKey: String

        public init(address: HostPort, certificate: String, privateKey: String) {
            self.address = address
            self.certificate = certificate
            self.privateKey = privateKey
        }
    }

    public init() {}
}
