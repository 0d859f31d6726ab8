import Testing
import ThroughlineCore

/// A plan's statements sit behind one shared reference (copying a plan into every call is a
/// retain): these say it still behaves as a value, as every call that keeps its plan across a
/// reload relies on.
@Suite("Dialplan as a value")
struct DialplanValueTests {
    static let text = """
    settings {
      music "jazz"
    }
    route default -> queue q
    queue q {
      require support>=1
    }
    agent ann {
      contact "sip:ann@127.0.0.1:6001"
      skills support=1
    }
    """

    func parse(_ text: String = Self.text) -> Dialplan {
        DialplanParser.parse([.init(path: "p.dialplan", text: text)]).plan
    }

    @Test func aChangedCopyLeavesTheOriginalAsItWas() {
        let original = parse()
        var changed = original
        changed.settings.music = Located("rock", at: original.settings.music.location)
        changed.queues.removeAll()
        changed.agents[0].name = Located("bob", at: original.agents[0].name.location)
        #expect(original.settings.music.value == "jazz")
        #expect(original.queues.map(\.name.value) == ["q"])
        #expect(original.agent("ann") != nil && original.agent("bob") == nil)
        #expect(changed.settings.music.value == "rock" && changed.queues.isEmpty && changed.agent("bob") != nil)
        #expect(changed != original)
    }

    @Test func equalPlansAreEqualAndHashAlikeWhetherSharedOrParsedApart() {
        let one = parse(), two = parse()
        let copy = one
        #expect(one == two && one == copy)
        #expect(one.hashValue == two.hashValue && Set([one, two, copy]).count == 1)
        #expect(parse(Self.text.replacingOccurrences(of: "jazz", with: "blues")) != one)
    }
}
