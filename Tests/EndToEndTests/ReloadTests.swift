import Foundation
import Testing

extension EndToEnd {
    /// Reload by API, SIGHUP and `throughline reload`: calls in progress keep their plan, a
    /// plan with errors changes nothing and says why, and no reload drops a call.
    @Suite("Reload")
    struct ReloadTests {
        @Test func aCallInProgressKeepsItsPlanWhileNewCallsTakeTheReloadedOne() throws {
            let controller = try ControllerProcess(name: "reload-keep")
            let rtp = try RTPReceiver()
            defer { rtp.stop() }
            let http = try controller.httpAddress, token = try controller.adminToken

            // The first caller is in the menu (plan 1: key 1 -> queue sales) when the plan
            // changes (plan 2: key 1 -> hangup); it keys 1 after the reload.
            let first = try SIPpRun.start(scenario: "uac-keys-1-by-info-then-hangs-up.xml", target: try controller.sipPort,
                                          keys: ["rtpport": String(rtp.port)], pause: 3000)
            try #require(controller.waitForLine(event: "call.arrived", timeout: 10) != nil, "\(controller.log)")
            try controller.writePlan(TestPlan.keyOneHangsUp)
            // Before reloading, the admin asks what a reload would change: nothing is installed.
            let preview = try ReferenceTests.cli(["check", "--against-running", "--http", http, "--admin-token", token])
            #expect(preview.status == 0, "\(preview.out)\(preview.err)")
            #expect(preview.out.contains("changed: option 1 of menu main: target queue sales → hangup\n"), "\(preview.out)")
            #expect(preview.out.contains("a reload would change 1 thing against plan 1 "), "\(preview.out)")
            #expect(controller.lines(event: "plan.reloaded").isEmpty)
            let reload = try Curl.request("POST", "http://\(http)/api/reload", token: token)
            #expect(reload.status == 200, "\(reload.body)")
            #expect(reload.json?["reloaded"] as? Bool == true)
            #expect((reload.json?["plan"] as? [String: Any])?["version"] as? Int == 2)
            // The reload says what it changed, exactly: the one option, where it is written.
            let optionLine = try #require(TestPlan.keyOneHangsUp.split(separator: "\n", omittingEmptySubsequences: false)
                .firstIndex { $0.contains("option 1 -> hangup") }) + 1
            let changes = reload.json?["changes"] as? [[String: Any]] ?? []
            #expect(changes.count == 1, "\(reload.body)")
            #expect(changes.first?["kind"] as? String == "changed")
            #expect(changes.first?["subject"] as? String == "option 1 of menu main")
            #expect(changes.first?["details"] as? [String] == ["target queue sales → hangup"], "\(reload.body)")
            #expect(changes.first?["at"] as? String == "\(controller.planFolder.path)/main.dialplan:\(optionLine):10", "\(reload.body)")
            let logged = controller.lines(event: "plan.change")
            #expect(logged.count == 1 && logged.first.flatMap { ControllerProcess.field("what", in: $0) } == "option 1 of menu main", "\(logged)")
            let firstRun = first.wait()
            #expect(firstRun.exitStatus == 0, "the first call must not be hung up by the new plan\n\(firstRun.report)\n\(controller.log)")

            // A new caller keying 1 now gets plan 2: goodbye and the controller's BYE.
            let second = try SIPpRun.run(scenario: "uac-keys-1-by-info-is-hung-up.xml", target: try controller.sipPort,
                                         keys: ["rtpport": String(rtp.port)], pause: 500)
            #expect(second.exitStatus == 0, "\(second.report)\n\(controller.log)")

            let outcomes = controller.lines(event: "ivr.outcome")
            #expect(outcomes.count == 2, "\(controller.log)")
            #expect(outcomes.first.map { ControllerProcess.field("plan", in: $0) } == "1")
            #expect(outcomes.first.map { ControllerProcess.field("outcome", in: $0) } == "routed queue sales")
            #expect(outcomes.last.map { ControllerProcess.field("plan", in: $0) } == "2")
            #expect(outcomes.last.map { ControllerProcess.field("outcome", in: $0) } == "hung-up")
            let arrived = controller.lines(event: "call.arrived").map { ControllerProcess.field("plan", in: $0) }
            #expect(arrived == ["1", "2"])
            #expect(controller.stop() == 0)
        }

        @Test func aReloadWithAnErrorChangesNothingAndReportsTheError() throws {
            let controller = try ControllerProcess(name: "reload-error")
            let rtp = try RTPReceiver()
            defer { rtp.stop() }
            let http = try controller.httpAddress, token = try controller.adminToken
            let broken = TestPlan.keyOneHangsUp.replacingOccurrences(of: "option 2 -> hangup", with: "option 2 -> queue salse")
            try controller.writePlan(broken)
            let errorLine = try #require(broken.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("salse") }) + 1

            // By the API: 422, the error in compiler form, the running plan named.
            let api = try Curl.request("POST", "http://\(http)/api/reload", token: token)
            #expect(api.status == 422)
            #expect(api.json?["reloaded"] as? Bool == false)
            let errors = api.json?["errors"] as? [String] ?? []
            #expect(errors == ["\(controller.planFolder.path)/main.dialplan:\(errorLine):15: error: queue 'salse' is not defined (did you mean 'sales'?)"],
                    "\(api.body)")
            #expect((api.json?["plan"] as? [String: Any])?["version"] as? Int == 1)

            // By the command line: the same error printed, exit status 1.
            let cli = Process()
            cli.executableURL = try Repository.binary
            cli.arguments = ["reload", "--http", http, "--data", controller.dataFolder.appendingPathComponent("var").path]
            let pipe = Pipe()
            cli.standardOutput = pipe
            try cli.run()
            let printed = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            cli.waitUntilExit()
            #expect(cli.terminationStatus == 1)
            #expect(printed.contains("main.dialplan:\(errorLine):15: error: queue 'salse' is not defined"), "\(printed)")
            #expect(printed.contains("not reloaded: the plan has errors; plan 1"), "\(printed)")

            // By SIGHUP: refused and logged with the diagnostic.
            controller.signal(SIGHUP)
            #expect(controller.waitForLine(event: "plan.reload-refused", timeout: 10) { ControllerProcess.field("trigger", in: $0) == "SIGHUP" } != nil)
            #expect(controller.lines(event: "plan.diagnostic").contains { $0.contains("queue 'salse' is not defined") })

            // Nothing changed: plan 1 in force, and a new call keying 1 still reaches the queue.
            let plan = try Curl.request("GET", "http://\(http)/api/plan", token: token)
            #expect(plan.json?["version"] as? Int == 1)
            #expect(controller.lines(event: "plan.loaded").isEmpty)
            let call = try SIPpRun.run(scenario: "uac-keys-1-by-info-then-hangs-up.xml", target: try controller.sipPort,
                                       keys: ["rtpport": String(rtp.port)], pause: 500)
            #expect(call.exitStatus == 0, "\(call.report)\n\(controller.log)")
            #expect(controller.lines(event: "ivr.outcome").first.map { ControllerProcess.field("outcome", in: $0) } == "routed queue sales")
            #expect(controller.stop() == 0)
        }

        @Test func reloadsByEveryRouteNeverDropACall() throws {
            let controller = try ControllerProcess(name: "reload-many")
            let rtp = try RTPReceiver()
            defer { rtp.stop() }
            let http = try controller.httpAddress, token = try controller.adminToken
            // Six callers at once, each in the menu for 4 s before keying 1 and hanging up.
            let callers = try SIPpRun.start(scenario: "uac-keys-1-by-info-then-hangs-up.xml", target: try controller.sipPort,
                                            calls: 6, keys: ["rtpport": String(rtp.port)], pause: 4000,
                                            extra: ["-l", "6", "-r", "20"])
            #expect(controller.waitForLine(event: "call.arrived", timeout: 10) { ControllerProcess.field("active", in: $0) == "6" } != nil,
                    "\(controller.log)")
            // Reload three times while they are up, by API, SIGHUP and the command line; the
            // plans differ in a timeout only, so every plan routes key 1 the same way.
            try controller.writePlan(TestPlan.basicWithTimeout(20))
            #expect(try Curl.request("POST", "http://\(http)/api/reload", token: token).status == 200)
            try controller.writePlan(TestPlan.basicWithTimeout(25))
            controller.signal(SIGHUP)
            #expect(controller.waitForLine(event: "plan.loaded", timeout: 10) { ControllerProcess.field("plan", in: $0) == "3" } != nil)
            try controller.writePlan(TestPlan.basicWithTimeout(30))
            let cli = Process()
            cli.executableURL = try Repository.binary
            cli.arguments = ["reload", "--http", http, "--admin-token", token]
            let out = Pipe()
            cli.standardOutput = out
            try cli.run()
            let printed = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            cli.waitUntilExit()
            #expect(cli.terminationStatus == 0)
            // The command line prints the change (the menu's timeout) before the outcome.
            #expect(printed.contains("changed: menu main: timeout 25s → 30s\n"), "\(printed)")
            #expect(printed.contains("reloaded: plan 4 ") && printed.contains("1 change against the plan before"), "\(printed)")

            let run = callers.wait()
            #expect(run.exitStatus == 0, "\(run.report)\n\(controller.log)")
            let ended = controller.lines(event: "call.ended")
            #expect(ended.count == 6)
            // Every call ended by its caller's BYE while waiting in the queue (sam's phone is
            // unreachable), on the plan it began with.
            #expect(ended.allSatisfy { ControllerProcess.field("code", in: $0) == "200" && ControllerProcess.field("plan", in: $0) == "1"
                && ControllerProcess.field("outcome", in: $0)?.hasPrefix("queue sales: abandoned after") == true }, "\(ended)")
            let calls = try Curl.request("GET", "http://\(http)/api/calls", token: token)
            #expect((calls.json?["calls"] as? [Any])?.count == 0)
            #expect(calls.json?["handled"] as? Int == 6)
            #expect(controller.stop() == 0)
        }

        @Test func theAPIRefusesMissingAndWrongTokensAndUnknownRoutes() throws {
            let controller = try ControllerProcess(name: "api")
            let http = try controller.httpAddress
            let health = try Curl.request("GET", "http://\(http)/api/health")
            #expect(health.status == 200)
            #expect(health.json?["status"] as? String == "ok")
            #expect(try Curl.request("POST", "http://\(http)/api/reload").status == 401)
            #expect(try Curl.request("POST", "http://\(http)/api/reload", token: "not-the-token-at-all").status == 401)
            #expect(try Curl.request("GET", "http://\(http)/api/reload", token: try controller.adminToken).status == 405)
            let missing = try Curl.request("GET", "http://\(http)/api/nothing-here")
            #expect(missing.status == 404)
            #expect(missing.json?["error"] as? String == "no such resource: /api/nothing-here")
            let attributes = try FileManager.default.attributesOfItem(atPath: controller.dataFolder.appendingPathComponent("var/admin-token").path)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            #expect(controller.stop() == 0)
        }
    }
}
