/// A hunt group ringing agents for the caller (`CallSession.Stage.ringing`): the hunt's own
/// machine, which run of the call it is (timers carry it, so an earlier hunt's cannot fire
/// into this one), and what the caller hears meanwhile.
struct Ringing: Sendable {
    var name: String
    var hunt: HuntSession
    var run: Int
    var hold: Hold
}
