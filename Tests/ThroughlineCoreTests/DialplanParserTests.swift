import Foundation
import Testing
import ThroughlineCore

@Suite("Dialplan parser")
struct DialplanParserTests {
    func parse(_ text: String) -> (Dialplan, [Diagnostic]) {
        DialplanParser.parse([.init(path: "p.dialplan", text: text)])
    }

    @Test func readsEveryKindOfBlockAndItsStatements() throws {
        let (plan, diagnostics) = parse("""
        settings {
          prompts "/p"
          repeat-caller-window 2d
        }
        department support {
          title "Support"
          handles "a", "b"
          handles "c"
        }
        agent alice {
          name "Alice"
          contact "sip:alice@127.0.0.1:6001"
          skills support=5, french=4
        }
        route "5551000" campaign "x" priority 7 -> menu main
        route default -> queue support
        menu main {
          greeting "g"
          timeout 4s
          digit-timeout 1500ms
          terminator none
          option 1 -> queue support
          option 400 -> hunt ops
          option * -> back
          option "#" -> repeat
          say-reference
          barge-in no
        }
        hunt ops {
          mode progressive
          add-every 3s
          members alice
        }
        queue support {
          department support
          require support>=3, french>4
          expand after 30s require support=1
          max-wait 2m -> hunt ops
          join-empty yes
        }
        """)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(plan.settings.prompts.value == "/p")
        #expect(plan.settings.repeatCallerWindow == .seconds(172_800))
        #expect(plan.department("support")?.handles == ["a", "b", "c"])
        #expect(plan.agent("alice")?.skills["french"]?.value == 4)
        #expect(plan.routes.first?.campaigns.map(\.value) == ["x"] && plan.routes.first?.priority == 7)
        #expect(plan.route(forDialled: "999")?.target.value == .queue("support"))
        let menu = try #require(plan.menu("main"))
        #expect(menu.timeout == .seconds(4) && menu.digitTimeout == .milliseconds(1500))
        #expect(menu.terminator == nil && menu.sayReference && !menu.bargeIn)
        #expect(menu.options.map(\.keys) == ["1", "400", "*", "#"])
        #expect(menu.options.map(\.target.value) == [.queue("support"), .hunt("ops"), .back, .repeatMenu])
        #expect(plan.hunt("ops")?.mode == .progressive)
        let queue = try #require(plan.queue("support"))
        #expect(queue.require.map(\.description) == ["support>=3", "french>=5"])
        #expect(queue.expansions.first?.after == .seconds(30))
        #expect(queue.maxWaitTarget?.value == .hunt("ops") && queue.joinEmpty)
    }

    @Test func crlfLineEndsReadLikeLF() {
        let lf = "route default -> menu main\nmenu main {\n  greeting \"g\"\n}\n"
        let (a, da) = parse(lf)
        let (b, db) = parse(lf.replacingOccurrences(of: "\n", with: "\r\n"))
        #expect(da.isEmpty && db.isEmpty, "\(db)")
        #expect(a.menus.count == 1 && b.menus.count == 1)
        #expect(b.menu("main")?.greeting?.value == "g")
    }

    @Test func locationsPointAtTheOffendingToken() {
        let (_, diagnostics) = parse("menu main {\n  timeout 5x\n}\n")
        #expect(diagnostics.first?.description == "p.dialplan:2:11: error: bad duration '5x' (a whole number and a unit: ms, s, m, h or d, e.g. 5s)")
    }

    @Test func durationsHaveUnitsAndPrintShortest() {
        #expect(StatementReader.parseDuration("90s") == .seconds(90))
        #expect(StatementReader.parseDuration("2m") == .seconds(120))
        #expect(StatementReader.parseDuration("5") == nil)
        #expect(StatementReader.parseDuration("1.5s") == nil)
        #expect(StatementReader.format(.seconds(120)) == "2m")
        #expect(StatementReader.format(.seconds(90)) == "90s")
        #expect(StatementReader.format(.milliseconds(1500)) == "1500ms")
    }

    @Test func suggestionsFindTyposButNotUnrelatedWords() {
        #expect(Suggestion.closest("suport", among: ["support", "sales"]) == "support")
        #expect(Suggestion.closest("qeueu", among: ["queue", "menu"]) == "queue")
        #expect(Suggestion.closest("klingon", among: ["support", "sales"]) == nil)
    }
}
