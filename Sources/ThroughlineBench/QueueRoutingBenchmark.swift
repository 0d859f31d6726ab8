import Foundation
import ThroughlineCore

/// The queue engine under a contact centre's worst day: 10,000 agents in 20 skills-based
/// queues (each with an expansion step and a preferred skill), 100,000 callers waiting.
/// Times each routing decision: an agent coming free (wrap-up over) and being given the
/// longest-waiting eligible caller, a caller arriving while every agent is busy, and an
/// answer. The waiting count is held at 100,000 throughout (each decision's caller is
/// replaced by a new one).
enum QueueRoutingBenchmark {
    struct Result {
        var agents: Int
        var waiting: Int
        var decisions: Int
        var freeToOffer: [UInt64]
        var join: [UInt64]
        var answer: [UInt64]
        var setupSeconds: Double
    }

    static func plan(agents: Int, queues: Int) -> Dialplan {
        var text = "settings {\n  no-answer-delay 0s\n}\n"
        var rng = SplitMix64(seed: 42)
        for n in 0..<agents {
            let a = Int(rng.next() % UInt64(queues)), b = (a + 1 + Int(rng.next() % UInt64(queues - 1))) % queues
            text += "agent a\(n) {\n  contact \"sip:a\(n)@127.0.0.1:9\"\n  skills s\(a)=\(1 + rng.next() % 10), s\(b)=\(1 + rng.next() % 10)\n}\n"
        }
        for q in 0..<queues {
            text += "queue q\(q) {\n  require s\(q)>=5\n  prefer s\((q + 1) % queues)>=5\n  wrap-up 0s\n  expand after 60s require s\(q)>=1\n}\n"
        }
        text += "route default -> queue q0\n"
        let (plan, diagnostics) = DialplanParser.parse([.init(path: "bench", text: text)])
        precondition(!diagnostics.hasErrors, "\(diagnostics.errors.prefix(3))")
        return plan
    }

    static func run(agents agentCount: Int = 10_000, waiting: Int = 100_000, decisions: Int = 20_000) -> Result {
        let queueCount = 20
        let setupStart = DispatchTime.now().uptimeNanoseconds
        let plan = plan(agents: agentCount, queues: queueCount)
        let queues = (0..<queueCount).map { plan.queue("q\($0)")! }
        var router = QueueRouter(plan: plan, seed: 7)
        var rng = SplitMix64(seed: 9)
        var nextCall: UInt64 = 1
        var now = Duration.zero
        var talking: [CallHandle] = []
        var waitingCount = 0

        /// Joins one caller; answers at once any offer the join produced.
        func join(timed: Bool) -> UInt64 {
            let call = CallHandle(nextCall)
            nextCall += 1
            now += .microseconds(100)
            let queue = queues[Int(rng.next() % UInt64(queueCount))]
            var actions: [RouterAction] = []
            let ns = nanoseconds { actions = router.callerJoined(call, queue: queue, priority: Int(rng.next() % 3), at: now) }
            if let offer = firstOffer(actions) {
                _ = router.offerAnswered(offer.call, agent: offer.agent, at: now)
                talking.append(offer.call)
            } else {
                waitingCount += 1
            }
            return timed ? ns : 0
        }

        // Fill: every agent busy, then 100,000 callers waiting.
        while waitingCount < waiting { _ = join(timed: false) }
        let setupSeconds = Double(DispatchTime.now().uptimeNanoseconds - setupStart) / 1e9

        var freeToOffer: [UInt64] = [], joins: [UInt64] = [], answers: [UInt64] = []
        for _ in 0..<decisions {
            // A random talking call ends: its agent is free (no wrap-up) and is given a caller.
            let index = Int(rng.next() % UInt64(talking.count))
            talking.swapAt(index, talking.count - 1)
            let ended = talking.removeLast()
            now += .microseconds(100)
            var actions: [RouterAction] = []
            freeToOffer.append(nanoseconds { actions = router.callReleased(ended, at: now) })
            if let offer = firstOffer(actions) {
                answers.append(nanoseconds { _ = router.offerAnswered(offer.call, agent: offer.agent, at: now) })
                talking.append(offer.call)
                waitingCount -= 1
            }
            // A new caller keeps the line at 100,000.
            joins.append(join(timed: true))
        }
        return Result(agents: agentCount, waiting: router.waitingCount, decisions: decisions, freeToOffer: freeToOffer, join: joins,
                      answer: answers, setupSeconds: setupSeconds)
    }

    static func firstOffer(_ actions: [RouterAction]) -> (call: CallHandle, agent: String)? {
        for action in actions {
            if case .offer(let call, let offers, _) = action, let first = offers.first { return (call, first.agent) }
        }
        return nil
    }
}
