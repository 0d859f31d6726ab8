import Testing
import ThroughlineCore

/// A call's outcome is typed in the core and written as text in records, logs and the API:
/// the text is what supervisors' reports and scripts already read, so it is pinned here.
@Suite("CallOutcome: the record's text for each verdict")
struct CallOutcomeTests {
    @Test func eachVerdictKeepsItsRecordText() {
        let leg = LegID(call: CallHandle(7), sequence: 1)
        let cases: [(CallOutcome, String)] = [
            (.none, "none"),
            (.ivr(.routed(.queue("sales"))), "routed queue sales"),
            (.ivr(.hungUp), "hung-up"),
            (.ivr(.callerLeft), "caller-left"),
            (.hunt(.answered(by: "ben", leg: leg)), "answered by ben"),
            (.hunt(.noAnswer(then: .queue("support"))), "no answer, then queue support"),
            (.queue("support", .answered(by: "ann", wait: .milliseconds(1_240))), "queue support: answered by ann after 1.2s"),
            (.queue("support", .abandoned(wait: .seconds(4))), "queue support: abandoned after 4.0s"),
            (.queue("support", .overflowed(to: .hunt("operators"), wait: .seconds(600))), "queue support: overflowed to hunt operators after 600.0s"),
            (.transferred(by: "ann", to: .queue("billing")), "transferred by ann to queue billing"),
            (.transferredToDepartment(by: "ann", department: "billing"), "transferred by ann to billing"),
        ]
        for (outcome, text) in cases { #expect(outcome.description == text) }
    }
}
