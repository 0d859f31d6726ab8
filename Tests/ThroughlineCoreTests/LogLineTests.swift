import Testing
import ThroughlineCore

@Suite("Structured log lines")
struct LogLineTests {
    @Test func printsEventAndFieldsLogfmtStyle() {
        let line = LogLine(.info, "call.arrived", [("call", "7"), ("from", "5551234")])
        #expect(line.formatted() == "level=info event=call.arrived call=7 from=5551234")
    }

    @Test func quotesValuesWithSpacesQuotesAndEquals() {
        let line = LogLine(.warning, "x", [("remote", "\"Bob\" <sip:b@h>"), ("q", "a=b"), ("empty", "")])
        #expect(line.formatted() == #"level=warning event=x remote="\"Bob\" <sip:b@h>" q="a=b" empty="""#)
    }

    @Test func aHostileValueCannotBreakTheLineOrForgeAField() {
        let hostile = "x\nlevel=error event=forged\r\u{7}"
        let text = LogLine(.info, "call.arrived", [("from", hostile)]).formatted()
        #expect(!text.contains("\n"))
        #expect(!text.contains("\r"))
        #expect(text == #"level=info event=call.arrived from="x\nlevel=error event=forged\r\x07""#)
    }

    @Test func levelsAreOrdered() {
        #expect(LogLine.Level.debug < .info)
        #expect(LogLine.Level.info < .warning)
        #expect(LogLine.Level.warning < .error)
    }
}
