import Foundation
import ThroughlineCore

/// The pure switchboard's own time for the inputs whose INVITE a phone waits on, with no SIP,
/// store or clock: `callers` wait in one queue for one agent (pops wanted, as with desks), the
/// agent answers each call and hangs up, and the time of the hang-up's input (the agent free,
/// the caller's call finished, the next caller chosen and their INVITE returned) is kept.
/// The controller adds the SIP stack's `pjsua_call_make_call` to this for the end-to-end
/// "agent free to INVITE" figure of `make bench`.
enum SwitchboardBenchmark {
    struct Result {
        var agentFree: [UInt64] = []
        var arrival: [UInt64] = []
        var answer: [UInt64] = []
    }

    static func run(callers: Int = 100, rounds: Int = 20) -> Result {
        let text = """
        route default -> queue q
        queue q {
          require support>=1
          wrap-up 0s
          join-empty yes
        }
        agent ann {
          contact "sip:ann@127.0.0.1:6001"
          skills support=1
        }
        """
        let (plan, _) = DialplanParser.parse([.init(path: "bench.dialplan", text: text)])
        let version = PlanVersion(version: 1, hash: "bench", plan: plan, prompts: PromptLibrary(folder: "/prompts"), files: ["bench.dialplan"], warnings: [])
        var result = Result()
        var random = SplitMix64(seed: 7)
        for round in 0..<rounds {
            var now: Duration = .seconds(1)
            var board = Switchboard(plan: version, at: now)
            board.wantsPops = true
            _ = board.handle(.started, at: now)
            func leg(_ effects: [SwitchboardEffect]) -> CallHandle? {
                for effect in effects { if case .dial(let dial) = effect { return dial.handle } }
                return nil
            }
            var ringing: CallHandle?
            for n in 1...callers {
                now += .milliseconds(20)
                let incoming = IncomingCall(handle: CallHandle(UInt64(n)), sipCallID: "bench-\(round)-\(n)", caller: "555\(1000 + n)",
                                            dialled: "5550000", remoteURI: "<sip:555\(1000 + n)@127.0.0.1>")
                let reference = ReferenceNumber.random(using: &random)
                var effects: [SwitchboardEffect] = []
                result.arrival.append(nanoseconds { effects = board.handle(.callArrived(incoming, .issued(reference)), at: now) })
                let media = board.handle(.telephony(.mediaActive(incoming.handle)), at: now)
                ringing = ringing ?? leg(effects) ?? leg(media)
            }
            while let agentLeg = ringing {
                now += .milliseconds(5)
                result.answer.append(nanoseconds { _ = board.handle(.telephony(.callAnswered(agentLeg)), at: now) })
                _ = board.handle(.telephony(.mediaActive(agentLeg)), at: now)
                now += .seconds(1)
                var effects: [SwitchboardEffect] = []
                result.agentFree.append(nanoseconds {
                    effects = board.handle(.telephony(.callEnded(agentLeg, code: 200, reason: "Normal call clearing")), at: now)
                })
                ringing = leg(effects)
            }
        }
        return result
    }
}
