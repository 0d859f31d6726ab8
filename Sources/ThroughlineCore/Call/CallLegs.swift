/// The agent legs of one call, whatever stage it is in: those up (ringing or answered), those
/// whose media is up, the answered leg waiting for its media before the bridge, and a leg
/// whose agent transferred the caller away and is left to hang up (at most
/// `CallSession.transferGrace`).
struct CallLegs: Sendable {
    var live = Set<LegID>()
    var withMedia = Set<LegID>()
    var bridgePending: LegID?
    var transferred: LegID?
    var transferDropTimer: CallTimer?
}
