/// How many calls the controller holds at once, when the admin does not say: as many as the
/// pjproject build, the RTP port range and the process's open-file limit allow, whichever is
/// least. An admin's `--max-calls` is taken up to that limit. Every call slot is a pjsua call
/// (callers and agents' legs alike), with one RTP and one RTCP socket.
///
/// Called once by `throughline run` before the SIP stack starts.
public struct CallCapacity: Sendable, Equatable {
    /// What bounds the limit, for the `sip.listening` line and the capped warning.
    public enum Bound: String, Sendable, Equatable {
        /// `--max-calls`, below every other bound.
        case asked
        /// The build's `PJSUA_MAX_CALLS` (setup builds pjproject for 8,192).
        case build
        /// The RTP port range: two ports (RTP and RTCP) a call.
        case rtpPorts = "rtp-ports"
        /// The open-file limit: two sockets a call and a prompt file being read.
        case openFiles = "open-files"

        /// Why an asked-for limit was lowered, in words for the log.
        public var why: String {
            switch self {
            case .asked: "asked"
            case .build: "the pjproject build's PJSUA_MAX_CALLS"
            case .rtpPorts: "the RTP port range (two ports a call)"
            case .openFiles: "the open-file limit (three descriptors a call)"
            }
        }
    }

    public var calls: Int
    public var boundBy: Bound

    /// Of `limit` call slots, how many are kept for agents' legs so that a controller full of
    /// waiting callers can still ring an agent: one per agent the plan names, at most half.
    /// Callers are refused once the rest are taken (`CapacityGate`).
    public static func reservedForAgents(limit: Int, agents: Int) -> Int { min(max(0, agents), limit / 2) }

    /// Descriptors a call may hold: its RTP and RTCP sockets and a prompt file.
    public static let filesPerCall = 3
    /// Descriptors kept for everything else: SIP, HTTP and desks, the database, the log.
    public static let filesReserved = 256

    /// The limit for `asked` (nil: as many as allowed) on a build allowing `build` calls,
    /// with `rtpPorts` for media and `openFiles` descriptors (the soft `RLIMIT_NOFILE`).
    public init(asked: Int?, build: Int, rtpPorts: ClosedRange<UInt16>, openFiles: Int) {
        let bounds: [(Int, Bound)] = [
            (build, .build),
            (rtpPorts.count / 2, .rtpPorts),
            ((openFiles - Self.filesReserved) / Self.filesPerCall, .openFiles),
        ]
        var (calls, boundBy) = bounds.min { $0.0 < $1.0 }!
        if let asked, asked <= calls { (calls, boundBy) = (asked, .asked) }
        self.calls = max(1, calls)
        self.boundBy = boundBy
    }
}
