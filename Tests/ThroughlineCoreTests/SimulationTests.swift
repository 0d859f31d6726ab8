import Testing
import ThroughlineCore

@Suite("Simulation and queue eligibility")
struct SimulationTests {
    static let text = """
    agent ann {
      contact "sip:ann@h"
      skills support=5, french=4
    }
    agent ben {
      contact "sip:ben@h"
      skills support=2
    }
    agent cat {
      contact "sip:cat@h"
      skills support=4
    }
    route default -> menu main
    menu main {
      greeting "g"
      timeout 5s
      attempts 2
      option 1 -> queue support
      option 42 -> hunt ops
      on-failure -> hangup
    }
    hunt ops {
      members ann
    }
    queue support {
      require support>=3
      prefer french>=1
      expand after 60s require support>=1
    }
    """

    func plan() throws -> Dialplan {
        let (plan, diagnostics) = DialplanParser.parse([.init(path: "t", text: Self.text)])
        try #require(!diagnostics.hasErrors)
        return plan
    }

    @Test func keysTakeTheCallerWhereTheLiveEngineWould() throws {
        let result = IVRSimulation.run(plan: try plan(), entry: .menu("main"), caller: try SimulatedCaller(keys: "42")) { _ in .seconds(3) }
        #expect(result.outcome == .routed(.hunt("ops")))
        #expect(result.steps.map(\.description) == ["menu main", "play g", "wait up to 5s for a key", "key 4", "key 2", "option 42 -> hunt ops", "ends: routed hunt ops"])
        #expect(result.steps[3].at == .seconds(4))
        #expect(result.steps[4].at == .seconds(4) + .milliseconds(300))
    }

    @Test func aSilentCallerEndsAtOnFailureAfterGoodbye() throws {
        let result = IVRSimulation.run(plan: try plan(), entry: .menu("main"), caller: .silent) { _ in .seconds(2) }
        #expect(result.outcome == .hungUp)
        #expect(result.steps.last?.at == .seconds(2 + 5 + 2 + 5 + 2))
    }

    @Test func queueEligibilityRanksPreferredThenLevelThenExpands() throws {
        let plan = try plan()
        let steps = QueueEligibility.steps(for: try #require(plan.queue("support")), in: plan)
        #expect(steps.map(\.agents) == [["ann", "cat"], ["ben"]])
        #expect(steps.map(\.after) == [.zero, .seconds(60)])
    }
}
