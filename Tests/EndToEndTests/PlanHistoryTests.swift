import Foundation
import Testing

extension EndToEnd {
    /// Every plan that loads is kept in the data folder; an earlier one can be put back in one
    /// step, through the same checked path as a reload.
    @Suite("Plan history and rollback")
    struct PlanHistoryTests {
        /// Plan 1 routes key 1 to the sales queue; plan 2 (a reload) hangs up on it. A caller
        /// arrives on plan 2; `throughline plan rollback` puts plan 1 back while that call is
        /// up: the caller still gets plan 2's hang-up, a new caller gets plan 1's queue, and
        /// the history shows all three loads.
        @Test func aRollbackPutsThePreviousPlanBackWhileACallOnTheNewerPlanFinishesOnIt() throws {
            let controller = try ControllerProcess(name: "rollback")
            let rtp = try RTPReceiver()
            defer { rtp.stop() }
            let http = try controller.httpAddress, token = try controller.adminToken
            let data = ReferenceTests.data(controller)
            try controller.writePlan(TestPlan.keyOneHangsUp)
            #expect(try Curl.request("POST", "http://\(http)/api/reload", token: token).status == 200)

            let onNewer = try SIPpRun.start(scenario: "uac-keys-1-by-info-is-hung-up.xml", target: try controller.sipPort,
                                            keys: ["rtpport": String(rtp.port)], pause: 3000)
            try #require(controller.waitForLine(event: "call.arrived", timeout: 10) != nil, "\(controller.log)")
            let rollback = try ReferenceTests.cli(["plan", "rollback", "--http", http, "--admin-token", token])
            #expect(rollback.status == 0, "\(rollback.out)\(rollback.err)\n\(controller.log)")
            #expect(rollback.out.contains("changed: option 1 of menu main: target hangup → queue sales\n"), "\(rollback.out)")
            #expect(rollback.out.contains("rolled back: history entry 1 is in force as plan 3 "), "\(rollback.out)")

            let newerRun = onNewer.wait()
            #expect(newerRun.exitStatus == 0, "the call on plan 2 keeps its plan\n\(newerRun.report)\n\(controller.log)")
            let onRolledBack = try SIPpRun.run(scenario: "uac-keys-1-by-info-then-hangs-up.xml", target: try controller.sipPort,
                                               keys: ["rtpport": String(rtp.port)], pause: 500)
            #expect(onRolledBack.exitStatus == 0, "\(onRolledBack.report)\n\(controller.log)")
            let outcomes = controller.lines(event: "ivr.outcome").map { (ControllerProcess.field("plan", in: $0), ControllerProcess.field("outcome", in: $0)) }
            #expect(outcomes.count == 2 && outcomes[0] == ("2", "hung-up") && outcomes[1] == ("3", "routed queue sales"), "\(outcomes)")

            let history = try ReferenceTests.cli(["plan", "history", "--data", data])
            #expect(history.status == 0)
            let lines = history.out.split(separator: "\n").map(String.init)
            #expect(lines.count == 3, "\(history.out)")
            #expect(lines.count == 3 && lines[0].contains("  start  ") && lines[1].contains("  api  ") && lines[2].contains("  rollback to 1 (api)  "),
                    "\(history.out)")
            #expect(controller.stop() == 0)
        }

        /// A plan whose greeting has been re-recorded since it ran would not sound as it did:
        /// the rollback is refused with the reason, and the plan in force stays.
        @Test func aRollbackToAPlanWhosePromptChangedIsRefusedWithTheReason() throws {
            let (folder, plan) = try PromptLayerTests.ownPrompts()
            defer { try? FileManager.default.removeItem(at: folder) }
            let controller = try ControllerProcess(name: "rollback-prompt", plan: plan)
            let http = try controller.httpAddress, token = try controller.adminToken
            try controller.writePlan(plan.replacingOccurrences(of: "option 1 -> hangup", with: "option 2 -> hangup"))
            #expect(try Curl.request("POST", "http://\(http)/api/reload", token: token).status == 200)
            // The company re-records its greeting.
            let greeting = folder.appendingPathComponent("company-welcome.wav")
            let handle = try FileHandle(forWritingTo: greeting)
            handle.seekToEndOfFile()
            handle.write(Data(repeating: 0xFF, count: 1600))
            try handle.close()

            let answer = try Curl.request("POST", "http://\(http)/api/plan/rollback", token: token, body: "{\"to\": 1}")
            #expect(answer.status == 409, "\(answer.body)")
            #expect((answer.json?["error"] as? String) == "prompt 'company-welcome' (\(greeting.path)) has changed since plan 1 was loaded", "\(answer.body)")
            #expect((try Curl.request("GET", "http://\(http)/api/plan", token: token).json?["version"] as? Int) == 2)
            #expect(controller.lines(event: "plan.rollback-refused").count == 1)
            #expect(controller.stop() == 0)
        }
    }
}
