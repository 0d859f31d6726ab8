import Foundation
import Testing

extension EndToEnd {
    /// Departments hand a caller's issue to each other over real SIP, HTTP and SQLite: a
    /// sales agent hands the reference to billing after the call; billing's desk hears of it
    /// and lists it; refused requests change nothing; after a restart the caller rings back
    /// and billing's owner is offered the call first, her pop carrying the note; the store
    /// charges the repeat to billing; the desk in wrap-up is shown in headless Chromium, and
    /// billing's agent names the call's reason before her next call.
    @Suite("Hand-offs between departments")
    struct HandoffTests {
        typealias Agent = TestPlan.QueueAgent

        static func plan(_ ports: [String: UInt16]) -> String {
            var text = TestPlan.queue(
                agents: [Agent("sam", port: ports["sam"]!, skills: "sales=5"), Agent("bea", port: ports["bea"]!, skills: "billing=5"),
                         Agent("cy", port: ports["cy"]!, skills: "billing=5")],
                queues: """
                department sales {
                  title "Sales"
                  handles "new orders"
                }
                department billing {
                  title "Billing"
                  handles "refunds", "invoices"
                  assign fewest-open
                  handoff-due 2d
                }
                queue q {
                  department sales
                  require sales>=1
                  wrap-up 0s
                }
                queue billing {
                  department billing
                  require billing>=1
                  wrap-up 0s
                  wrap-up-reason yes
                }

                """, settings: "  last-agent-first 10s\n")
            for (agent, department) in [("sam", "sales"), ("bea", "billing"), ("cy", "billing")] {
                text = text.replacingOccurrences(of: "agent \(agent) {\n", with: "agent \(agent) {\n  departments \(department)\n")
            }
            return text
        }

        static func token(_ controller: ControllerProcess, _ agent: String) throws -> String {
            try #require(try Curl.request("GET", "http://\(try controller.httpAddress)/api/agents/\(agent)/token", token: try controller.adminToken)
                .json?["token"] as? String)
        }

        /// The store's open hand-offs as `throughline handoffs` prints them.
        static func listed(_ controller: ControllerProcess, _ options: [String] = []) throws -> (status: Int32, out: String, err: String) {
            try ReferenceTests.cli(["handoffs", "--data", ReferenceTests.data(controller)] + options)
        }

        @Test func salesHandsTheCallToBillingAndTheRepeatCallerReachesTheOwnerFirstAfterARestart() throws {
            let ports = try HuntTests.agentPorts(["sam", "bea", "cy"])
            let plan = Self.plan(ports)
            let first = try ControllerProcess(name: "handoff", plan: plan)
            let media = try RTPReceiver()
            defer { media.stop() }
            let api = "http://\(try first.httpAddress)/api"
            let samToken = try Self.token(first, "sam"), beaToken = try Self.token(first, "bea"), cyToken = try Self.token(first, "cy")

            // 1. The caller reaches sales; sam answers, then the caller hangs up (wrap-up).
            let sam = try SIPpRun.agent("uas-agent-answers-then-hangs-up.xml", port: ports["sam"]!,
                                        keys: ["rtpport": String(media.port), "controller": "127.0.0.1:\(try first.sipPort)"], pause: 600)
            let call = try SIPpRun.run(scenario: "uac-stays-until-hung-up.xml", target: try first.sipPort, keys: ["rtpport": String(media.port)])
            #expect(call.exitStatus == 0, "\(call.report)\n\(first.log)")
            #expect(sam.wait().exitStatus == 0)
            let reference = try #require(ReferenceTests.references(first).first, "\(first.log)")

            // 2. In wrap-up sam hands it to billing; bea's desk hears it at once.
            let beaDesk = try DeskTests.events(first, agent: "bea", token: beaToken)
            defer { beaDesk.stop() }
            #expect(beaDesk.wait(for: "hello", timeout: 5) != nil)
            let made = try Curl.request("POST", "\(api)/references/\(reference)/handoff", token: samToken,
                                        body: #"{"department": "billing", "note": "refund the shipping on order 4471", "due": "3s"}"#)
            #expect(made.status == 201, "\(made.body)")
            let id = try #require(made.json?["id"] as? Int, "\(made.body)")
            #expect(made.json?["owner"] as? String == "bea" && made.json?["from"] as? String == "sam" && made.json?["from_department"] as? String == "sales",
                    "\(made.body)")
            let event = try #require(beaDesk.wait(for: "handoff", timeout: 5), "bea's desk got no handoff event")
            #expect(event.json?["note"] as? String == "refund the shipping on order 4471" && event.json?["id"] as? Int == id, "\(event.data)")
            let held = try Curl.request("GET", "\(api)/references/\(reference)", token: cyToken)
            #expect(held.json?["department"] as? String == "billing" && (held.json?["handoff"] as? [String: Any])?["owner"] as? String == "bea", "\(held.body)")
            let inbox = try Curl.request("GET", "\(api)/departments/billing/handoffs", token: cyToken)
            #expect(((inbox.json?["handoffs"] as? [[String: Any]]) ?? []).map { $0["id"] as? Int } == [id], "\(inbox.body)")

            // 3. Refused requests, each with its reason, and none changes a record.
            let unknown = try Curl.request("POST", "\(api)/references/\(reference)/handoff", token: samToken, body: #"{"department": "biling", "note": "x"}"#)
            #expect(unknown.status == 400 && (unknown.json?["error"] as? String ?? "").contains("departments: sales, billing"), "\(unknown.body)")
            let long = try Curl.request("POST", "\(api)/references/\(reference)/handoff", token: samToken,
                                        body: #"{"department": "billing", "note": "\#(String(repeating: "x", count: 4097))"}"#)
            #expect(long.status == 413, "\(long.body)")
            let outsider = try Curl.request("POST", "\(api)/handoffs/\(id)/claim", token: samToken)
            #expect(outsider.status == 403, "\(outsider.body)")
            let second = try Curl.request("POST", "\(api)/handoffs/\(id)/claim", token: cyToken)
            #expect(second.status == 409 && (second.json?["error"] as? String ?? "").contains("owned by bea"), "\(second.body)")
            let notMine = try Curl.request("GET", "\(api)/departments/billing/handoffs", token: samToken)
            #expect(notMine.status == 403, "\(notMine.body)")
            let handoffLine = try #require(first.waitForLine(event: "handoff.created", timeout: 5))
            #expect(handoffLine.contains("owner=bea") && handoffLine.contains("department=billing"), "\(handoffLine)")
            // Due in 3 s: the watch marks it overdue once and tells billing's desks.
            let overdue = try #require(first.waitForLine(event: "handoff.overdue", timeout: 10), "\(first.log)")
            #expect(overdue.contains("handoff=\(id)") && overdue.contains("owner=bea"), "\(overdue)")
            #expect(beaDesk.wait(for: "broadcast", timeout: 5) { $0.data.contains("Overdue hand-off \(id)") } != nil)
            #expect(first.stop() == 0)

            // 4. A restart loses nothing: the store still lists it, overdue, owned by bea.
            let listed = try Self.listed(first, ["--department", "billing", "--overdue"])
            #expect(listed.status == 0 && listed.out.split(separator: "\n").count == 1, "\(listed.out)\(listed.err)")
            #expect(listed.out.contains("\(reference)  billing  owner bea") && listed.out.contains("OVERDUE  repeats 0")
                    && listed.out.contains("from sam (sales)") && listed.out.contains("refund the shipping on order 4471"), "\(listed.out)")
            let restarted = try ControllerProcess(name: "handoff-2", plan: plan, reusing: first.dataFolder)
            let http = try restarted.httpAddress
            // bea is back from a break just now: cy has been idle longer, and a new caller
            // would go to cy. The repeat caller goes to bea, who owns the hand-off.
            for status in ["paused", "available"] {
                #expect(try Curl.request("POST", "http://\(http)/api/agents/bea/status", token: beaToken, body: #"{"status": "\#(status)"}"#).status == 200)
            }
            let profile = try Repository.scratchFolder("chromium-handoff")
            defer { try? FileManager.default.removeItem(at: profile) }
            let browser = try HeadlessChromium(profile: profile)
            defer { browser.quit() }
            let page = try browser.open("http://\(http)/desk/bea?token=\(beaToken)")
            // The page's event stream is up before the call (a desk only sees offers it is open for).
            let connection = browser.text(of: "connection", session: page) { $0 == "live" }
            #expect(connection == "live", "the desk page did not connect its event stream")
            let desk = try DeskTests.events(restarted, agent: "bea", token: beaToken)
            defer { desk.stop() }
            #expect(desk.wait(for: "hello", timeout: 5) != nil)

            // 5. The caller rings back: billing, bea first, the pop carrying the hand-off.
            let bea = try SIPpRun.agent("uas-agent-answers-then-hangs-up.xml", port: ports["bea"]!,
                                        keys: ["rtpport": String(media.port), "controller": "127.0.0.1:\(try restarted.sipPort)"], pause: 1500)
            let again = try SIPpRun.run(scenario: "uac-stays-until-hung-up.xml", target: try restarted.sipPort, keys: ["rtpport": String(media.port)])
            #expect(again.exitStatus == 0, "\(again.report)\n\(restarted.log)")
            #expect(bea.wait().exitStatus == 0, "\(restarted.log)")
            #expect(ReferenceTests.references(restarted) == [reference], "\(restarted.log)")
            let repeatLine = try #require(restarted.lines(event: "reference.repeat").first, "\(restarted.log)")
            #expect(repeatLine.contains("department=billing") && repeatLine.contains("last_agent=bea") && repeatLine.contains("handoff=\(id)"), "\(repeatLine)")
            #expect(QueueTests.dialled(restarted, member: "cy") == 0, "\(restarted.log)")
            let pop = try #require(desk.wait(for: "offer", timeout: 5), "no pop on bea's desk")
            let carried = pop.json?["handoff"] as? [String: Any]
            #expect((carried?["summary"] as? String ?? "").hasPrefix("handed to Billing by sam "), "\(pop.data)")
            #expect((carried?["summary"] as? String ?? "").contains("refund the shipping on order 4471; owner bea; overdue"), "\(pop.data)")

            // 6. The desk in wrap-up: the call stays, the banner says who handed it, the inbox
            // marks it overdue. A screenshot for people to look at.
            #expect(desk.wait(for: "ended", timeout: 10) != nil)
            let state = browser.text(of: "state", session: page) { $0.hasPrefix("Wrap-up") }
            #expect(state.hasPrefix("Wrap-up"), "the desk says '\(state)'")
            #expect(try browser.evaluate("document.getElementById('reference').textContent", session: page) as? String == reference)
            let banner = try browser.evaluate("document.getElementById('handoff-banner').textContent", session: page) as? String ?? ""
            #expect(banner.contains("handed to Billing by sam"), "banner: \(banner)")
            let overdueItems = try browser.evaluate("document.querySelectorAll('#inbox li.overdue').length", session: page) as? Int
            #expect(overdueItems == 1, "inbox: \(String(describing: try? browser.evaluate("document.getElementById('inbox').textContent", session: page)))")
            let topics = try browser.evaluate("[...document.getElementById('handoff-topic').options].map(o => o.textContent).join('|')", session: page) as? String ?? ""
            #expect(topics.contains("refunds → Billing") && topics.contains("new orders → Sales"), "picker: \(topics)")
            let artifacts = Repository.root.appendingPathComponent("var/test-artifacts")
            try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
            let screenshot = artifacts.appendingPathComponent("desk-wrapup-handoff.png")
            Thread.sleep(forTimeInterval: 0.3)  // let the last layout paint
            let png = try browser.screenshot(session: page)
            try png.write(to: screenshot)
            #expect(png.count > 10_000, "no screenshot")
            print("desk screenshot: \(screenshot.path) (\(png.count) bytes), reference \(reference), hand-off \(id)")

            // 7. Billing asks each call's reason: bea stays in wrap-up until she names it.
            let owing = try Curl.request("GET", "http://\(http)/api/agents/bea", token: beaToken)
            #expect(owing.json?["state"] as? String == "wrap-up" && owing.json?["reason_owed"] as? Bool == true, "\(owing.body)")
            let vague = try Curl.request("POST", "http://\(http)/api/references/\(reference)/reason", token: beaToken, body: #"{"reason": "stuff"}"#)
            #expect(vague.status == 400 && (vague.json?["error"] as? String ?? "").contains("\"refunds\""), "\(vague.body)")
            let named = try Curl.request("POST", "http://\(http)/api/references/\(reference)/reason", token: beaToken, body: #"{"reason": "refunds"}"#)
            #expect(named.status == 200, "\(named.body)")
            let free = try Curl.request("GET", "http://\(http)/api/agents/bea", token: beaToken)
            #expect(free.json?["state"] as? String == "idle" && free.json?["reason_owed"] as? Bool == false, "\(free.body)")

            // 8. The repeat is charged to billing and to the hand-off; resolving closes it.
            let charged = try Self.listed(restarted, ["--department", "billing"])
            #expect(charged.out.contains("repeats 1"), "\(charged.out)")
            let resolved = try Curl.request("POST", "http://\(http)/api/references/\(reference)/resolve", token: beaToken, body: #"{"note": "refunded"}"#)
            #expect(resolved.status == 200, "\(resolved.body)")
            #expect(try Self.listed(restarted).status == 1)
            let late = try Curl.request("POST", "http://\(http)/api/references/\(reference)/handoff", token: samToken, body: #"{"department": "billing", "note": "x"}"#)
            #expect(late.status == 409, "\(late.body)")
            let shown = try ReferenceTests.cli(["ref", "show", reference, "--data", ReferenceTests.data(restarted)])
            #expect(shown.out.contains("repeat     billing") && shown.out.contains("sam: hand-off \(id) to billing, owner bea")
                    && shown.out.contains("reason     bea: refunds (Billing)"), "\(shown.out)")
            // 9. The durable record, across the restart: queue_log in order, and the report.
            let queueLog = URL(fileURLWithPath: ReferenceTests.data(restarted) + "/queue_log")
            let expected = ["ENTERQUEUE q NONE", "CONNECT q sam", "COMPLETEAGENT q sam", "ENTERQUEUE billing NONE", "CONNECT billing bea",
                            "COMPLETEAGENT billing bea"]
            var logged: [String] = []
            let written = Date().addingTimeInterval(5)
            repeat {
                let lines = ((try? String(contentsOf: queueLog, encoding: .utf8)) ?? "").split(separator: "\n").map { $0.split(separator: "|").map(String.init) }
                logged = lines.filter { $0.count >= 5 }.map { "\($0[4]) \($0[2]) \($0[3])" }
                if logged != expected { usleep(100_000) }
            } while logged != expected && Date() < written
            #expect(logged == expected, "queue_log: \(logged)")
            let report = try ReferenceTests.cli(["report", "--by", "department", "--format", "csv", "--from", "2000-01-01", "--data", ReferenceTests.data(restarted)])
            let rows = report.out.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            #expect(rows.first?.prefix(5) == ["group", "interval_start", "offered", "answered", "answered_within_sl"], "\(report.out)")
            #expect(rows.dropFirst().map { $0.prefix(5).joined(separator: ",") } == ["billing,,1,1,1", "sales,,1,1,1"], "\(report.out)\(report.err)")
            let costs = try ReferenceTests.cli(["report", "--costs", "--format", "csv", "--from", "2000-01-01", "--data", ReferenceTests.data(restarted)])
            let costRows = costs.out.split(separator: "\n").map(String.init)
            #expect(costRows.first == "department,repeat_calls,repeat_talk_s,handoffs_received,handoffs_overdue,handoffs_open,offered,repeat_rate,"
                    + "resolved,first_contact_resolution,handoffs_per_reference,reasons", "\(costs.out)\(costs.err)")
            let billing = costRows.first { $0.hasPrefix("billing,") }?.split(separator: ",").map(String.init) ?? []
            // Billing: its one queue call was the repeat (rate 1); it resolved the reference,
            // which took two calls and a hand-off (not a first contact).
            #expect(billing.count == 12 && billing[1] == "1" && (Double(billing[2]) ?? 0) >= 1 && billing[3...5] == ["1", "1", "0"]
                    && billing[6...10] == ["1", "1.0", "1", "0.0", "1.0"] && billing[11] == "refunds (Billing)=1", "\(costs.out)")
            let byAgent = try Curl.request("GET", "http://\(http)/api/reports?from=2000-01-01&by=agent", token: try restarted.adminToken)
            let agentRows = (byAgent.json?["rows"] as? [[String: Any]]) ?? []
            // cy was available and took no call: a row with time alone (occupancy 0).
            #expect(agentRows.map { "\($0["group"] ?? "") \($0["answered"] ?? "") \($0["completed_by_agent"] ?? "")" } == ["bea 1 1", "cy 0 0", "sam 1 1"], "\(byAgent.body)")
            let beaRow = agentRows.first { $0["group"] as? String == "bea" } ?? [:]
            #expect(((beaRow["staffed_s"] as? Double) ?? 0) > 0 && ((beaRow["occupancy"] as? Double) ?? 0) > 0, "\(beaRow)")
            #expect(try Curl.request("GET", "http://\(http)/api/reports?by=colour", token: try restarted.adminToken).status == 400)
            let scraped = try Curl.request("GET", "http://\(http)/metrics", token: try restarted.adminToken)
            #expect(scraped.status == 200 && scraped.headers.contains { $0.lowercased().hasPrefix("content-type: text/plain; version=0.0.4") }, "\(scraped.headers)")
            #expect(scraped.body.contains("throughline_queue_answered_total{queue=\"billing\"} 1\n"), "\(scraped.body)")
            #expect(scraped.body.contains("# TYPE throughline_invite_latency_seconds histogram"), "\(scraped.body)")
            #expect(try Curl.request("GET", "http://\(http)/metrics").status == 401)
            try HuntTests.expectIdle(restarted)
            #expect(restarted.stop() == 0)
        }
    }
}
