import Testing
import ThroughlineCore

/// Hand-made pairs of plans and the changes a reload of the second over the first reports,
/// line for line, as `POST /api/reload` and the log show them.
@Suite("Plan diff")
struct PlanDiffTests {
    static let base = """
    settings {
      music "hold-music"
    }
    route default -> menu main
    route "5552000" -> queue sales
    menu main {
      greeting "main-greeting"
      option 1 -> queue sales
      option 2 -> queue support
    }
    queue sales {
      require sales>=3
      ring 15s
    }
    queue support {
      require support>=1
    }
    agent ann {
      contact "sip:ann@127.0.0.1:6001"
      skills sales=3, support=1
    }
    """

    static func diff(_ old: String, _ new: String) -> [String] {
        let (a, _) = DialplanParser.parse([.init(path: "main.dialplan", text: old)])
        let (b, _) = DialplanParser.parse([.init(path: "main.dialplan", text: new)])
        return PlanDiff.changes(from: a, to: b).map(\.description)
    }

    @Test func theSamePlanWrittenElsewhereIsNoChange() {
        // Blocks moved, blank lines added: no statement changed.
        let moved = "\n\n" + Self.base.replacingOccurrences(of: "route \"5552000\" -> queue sales\n", with: "") + "\nroute \"5552000\" -> queue sales\n"
        #expect(Self.diff(Self.base, moved) == [])
    }

    @Test func anOptionThatLeadsElsewhere() {
        let new = Self.base.replacingOccurrences(of: "option 2 -> queue support", with: "option 2 -> queue sales")
        #expect(Self.diff(Self.base, new) == ["main.dialplan:9:10: changed: option 2 of menu main: target queue support → queue sales"])
    }

    @Test func aRenamedOptionIsOneRemovedAndOneAdded() {
        let new = Self.base.replacingOccurrences(of: "option 2 -> queue support", with: "option 3 -> queue support")
        #expect(Self.diff(Self.base, new) == [
            "main.dialplan:9:10: added: option 3 of menu main",
            "main.dialplan:9:10: removed: option 2 of menu main",
        ])
    }

    @Test func aMovedRouteAndAChangedSkillLevelAndAnAddedQueue() {
        let new = Self.base
            .replacingOccurrences(of: "route \"5552000\" -> queue sales", with: "route \"5552000\" -> queue support")
            .replacingOccurrences(of: "skills sales=3, support=1", with: "skills sales=4, support=1")
            + "\nqueue billing {\n  ring 20s\n}\n"
        #expect(Self.diff(Self.base, new) == [
            "main.dialplan:18:7: changed: agent ann: skills sales=3, support=1 → sales=4, support=1",
            "main.dialplan:5:1: changed: route \"5552000\": target queue sales → queue support",
            "main.dialplan:22:7: added: queue billing",
        ])
    }

    @Test func queueStatementsSettingsAndRemovedBlocks() {
        let new = Self.base
            .replacingOccurrences(of: "  ring 15s\n", with: "  ring 20s\n  wrap-up 30s\n  strategy round-robin\n")
            .replacingOccurrences(of: "music \"hold-music\"", with: "music \"jazz\"")
            .replacingOccurrences(of: "queue support {\n  require support>=1\n}\n", with: "")
            .replacingOccurrences(of: "option 2 -> queue support", with: "option 2 -> hangup")
        #expect(Self.diff(Self.base, new) == [
            "main.dialplan:2:9: changed: settings: music hold-music → jazz",
            "main.dialplan:9:10: changed: option 2 of menu main: target queue support → hangup",
            "main.dialplan:11:7: changed: queue sales: strategy longest-idle → round-robin; ring 15s → 20s; wrap-up 10s → 30s",
            "main.dialplan:15:7: removed: queue support",
        ])
    }
}
