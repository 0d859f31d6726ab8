import Foundation
import Testing

extension EndToEnd {
    /// The supervisors' wallboard over real SIP and HTTP: SIPp callers wait and a campaign runs,
    /// the board moves within a second of a caller joining, a read-only supervisor token opens
    /// it and nothing else, today's figures agree with the report and survive a restart, and
    /// a real headless Chromium draws it.
    @Suite("The supervisors' wallboard")
    struct WallboardTests {
        static func plan(_ ports: [String: UInt16]) -> String {
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            func utc(_ ms: Int64) -> String { String(ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(ms) / 1000)).prefix(16)) + "Z" }
            var text = TestPlan.queue(agents: [TestPlan.QueueAgent("ann", port: ports["ann"]!, skills: "support=5")], queues: """
                department support {
                  title "Support"
                }
                queue q {
                  department support
                  require support>=1
                  join-empty yes
                  wrap-up 0s
                }
                campaign launch {
                  title "Spring launch"
                  department support
                  starts "\(utc(now - 3_600_000))"
                  ends "\(utc(now + 3_600_000))"
                  expected 60/h
                  message "Spring launch mailing is out: expect questions on the new model"
                }

                """, route: "route \"5552000\" campaign launch -> queue q\nroute default -> queue q",
                settings: "  repeat-caller-window 0s\n  alarm-when waiting 3\n")
            text = text.replacingOccurrences(of: "  skills support=5\n", with: "  skills support=5\n  departments support\n")
            return text
        }

        static func board(_ controller: ControllerProcess, token: String) throws -> [String: Any] {
            let answer = try Curl.request("GET", "http://\(try controller.httpAddress)/api/wallboard", token: token)
            try #require(answer.status == 200, "\(answer.status) \(answer.body)")
            return try #require(answer.json)
        }

        static func queueTile(_ board: [String: Any]) -> [String: Any] { (board["queues"] as? [[String: Any]])?.first ?? [:] }
        static func today(_ board: [String: Any]) -> [String: Any] { board["today"] as? [String: Any] ?? [:] }

        @Test func aSupervisorSeesCallersWaitAndACampaignRunLiveAndTheFiguresSurviveARestart() throws {
            let ports = try HuntTests.agentPorts(["ann"])
            let plan = Self.plan(ports)
            let first = try ControllerProcess(name: "wallboard", plan: plan)
            let http = try first.httpAddress, admin = try first.adminToken
            let media = try RTPReceiver()
            defer { media.stop() }

            // 1. The supervisor token: issued by an admin, opens the wallboard, nothing else.
            #expect(try Curl.request("GET", "http://\(http)/api/wallboard").status == 401)
            let issued = try Curl.request("GET", "http://\(http)/api/wallboard/token", token: admin)
            let supervisor = try #require(issued.json?["token"] as? String, "\(issued.body)")
            #expect(issued.json?["link"] as? String == "/wallboard?token=\(supervisor)")
            #expect(try Curl.request("GET", "http://\(http)/api/wallboard/token", token: supervisor).status == 401)
            #expect(try Curl.request("GET", "http://\(http)/api/agents", token: supervisor).status == 401)
            #expect(try Curl.request("GET", "http://\(http)/wallboard").status == 401)

            // 2. ann's desk reads the campaign's notice when it opens.
            let annToken = try HandoffTests.token(first, "ann")
            let desk = try SSEClient(port: UInt16(http.split(separator: ":").last!)!, path: "/api/agents/ann/events?token=\(annToken)")
            defer { desk.stop() }
            let hello = try #require(desk.wait(for: "hello", timeout: 5)?.json)
            let notices = hello["notices"] as? [String] ?? []
            #expect(notices.count == 1 && notices[0].hasPrefix("Campaign Spring launch is running until ")
                    && notices[0].hasSuffix(": Spring launch mailing is out: expect questions on the new model"), "\(notices)")

            // 3. A campaign caller reaches ann, who talks for 20 s and hangs up.
            let ann = try SIPpRun.agent("uas-agent-answers-then-hangs-up.xml", port: ports["ann"]!,
                                        keys: ["rtpport": String(media.port), "controller": "127.0.0.1:\(try first.sipPort)"], pause: 20000, timeLimit: 60)
            let answered = try SIPpRun.start(scenario: "uac-stays-until-hung-up.xml", target: try first.sipPort, service: "5552000",
                                             keys: ["rtpport": String(media.port)], timeLimit: 60)
            var talking = 0
            let deadline = Date().addingTimeInterval(10)
            while talking != 1 && Date() < deadline {
                talking = ((Self.queueTile(try Self.board(first, token: supervisor))["agents"] as? [String: Any])?["talking"] as? Int) ?? 0
                if talking != 1 { usleep(100_000) }
            }
            #expect(talking == 1, "\(first.log)")

            // 4. The wallboard's stream is open; three more campaign callers wait and hang up after 10 s.
            let stream = try SSEClient(port: UInt16(http.split(separator: ":").last!)!, path: "/wallboard/events?token=\(supervisor)")
            defer { stream.stop() }
            #expect(stream.wait(for: "board", timeout: 5) != nil, "no board on connecting")
            let joinedBefore = first.lines(event: "queue.joined").count
            let calling = Date()
            let waiting = try SIPpRun.start(scenario: "uac-hears-welcome-then-hangs-up.xml", target: try first.sipPort, service: "5552000", calls: 3,
                                            keys: ["rtpport": String(media.port)], pause: 10000, timeLimit: 60)
            func waitingIn(_ e: SSEClient.Event) -> Int {
                ((e.json?["queues"] as? [[String: Any]])?.first?["waiting"] as? Int) ?? 0
            }
            let firstWaiting = try #require(stream.wait(for: "board", timeout: 10) { $0.arrival > calling && waitingIn($0) >= 1 }, "\(first.log)")
            let joinDeadline = Date().addingTimeInterval(5)
            while first.lines(event: "queue.joined").count <= joinedBefore && Date() < joinDeadline { usleep(20_000) }
            let joinLine = try #require(first.lines(event: "queue.joined").dropFirst(joinedBefore).first, "\(first.log)")
            let stamp = ISO8601DateFormatter()
            stamp.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            let joinedAt = try #require(stamp.date(from: ControllerProcess.field("ts", in: joinLine) ?? ""), "\(joinLine)")
            let lag = firstWaiting.arrival.timeIntervalSince(joinedAt)
            print("wallboard: a caller joined at \(joinedAt), the board showed them \(String(format: "%.3f", lag)) s later")
            #expect(lag < 1.0, "the board showed the waiting caller \(lag) s after the join")
            #expect(stream.wait(for: "board", timeout: 10) { waitingIn($0) == 3 } != nil, "\(first.log)")

            // 5. The board now: three waiting (red: `alarm-when waiting 3`), ann talking, the
            // campaign's four calls against 60 an hour, and the staffing warning.
            let live = try Self.board(first, token: supervisor)
            let q = Self.queueTile(live)
            #expect(q["waiting"] as? Int == 3 && q["colour"] as? String == "alarm" && (q["why"] as? [String])?.first == "3 waiting ≥ 3", "\(q)")
            let campaign = try #require((live["campaigns"] as? [[String: Any]])?.first)
            #expect(campaign["phase"] as? String == "running" && campaign["calls_last_hour"] as? Int == 4 && campaign["expected_per_hour"] as? Int == 60, "\(campaign)")
            #expect((campaign["warning"] as? String)?.hasPrefix("3 waiting in Support; 1 staffed agent can answer about 0 within 20 s") == true, "\(campaign)")
            #expect(((live["departments"] as? [[String: Any]])?.first?["colour"] as? String) == "alarm")
            let calls = try #require(try Curl.request("GET", "http://\(http)/api/calls", token: admin).json?["calls"] as? [[String: Any]])
            #expect(calls.count == 4 && calls.allSatisfy { $0["campaign"] as? String == "launch" }, "\(calls)")

            // 6. A real browser: the page opens with its link, trades the token for a cookie,
            // and draws the tiles; the screenshot is what a TV across the room shows.
            let profile = try Repository.scratchFolder("chromium")
            defer { try? FileManager.default.removeItem(at: profile) }
            let browser = try HeadlessChromium(profile: profile, width: 1920, height: 1080)
            defer { browser.quit() }
            let page = try browser.open("http://\(http)/wallboard?token=\(supervisor)")
            let shown = browser.text(of: "t-waiting", session: page) { $0 == "3" }
            #expect(shown == "3", "the wallboard shows '\(shown)' waiting")
            #expect(try browser.evaluate("location.pathname + location.search", session: page) as? String == "/wallboard")
            #expect(try browser.evaluate("document.querySelectorAll('#queues .tile.alarm').length", session: page) as? Int == 1)
            let campaignText = try browser.evaluate("document.getElementById('campaigns').textContent", session: page) as? String ?? ""
            #expect(campaignText.contains("Spring launch") && campaignText.contains("⚠ 3 waiting in Support"), "\(campaignText)")
            Thread.sleep(forTimeInterval: 0.3)
            let artifacts = Repository.root.appendingPathComponent("var/test-artifacts")
            try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
            let png = try browser.screenshot(session: page)
            try png.write(to: artifacts.appendingPathComponent("wallboard.png"))
            #expect(png.count > 10_000 && png.starts(with: [0x89, 0x50, 0x4E, 0x47]))

            // 7. The three hang up after 10 s (abandons, not short); ann's call ends. Today's
            // figures are the report's, and a restart shows the same.
            #expect(waiting.wait().exitStatus == 0)
            #expect(answered.wait().exitStatus == 0)
            _ = ann.wait()
            var today: [String: Any] = [:]
            let settled = Date().addingTimeInterval(10)
            repeat {
                today = Self.today(try Self.board(first, token: supervisor))
                if today["abandoned"] as? Int == 3 && today["answered"] as? Int == 1 { break }
                usleep(100_000)
            } while Date() < settled
            #expect(today["offered"] as? Int == 4 && today["answered"] as? Int == 1 && today["abandoned"] as? Int == 3
                    && today["service_level"] as? Double == 0.25, "\(today)")
            let report = try #require(try Curl.request("GET", "http://\(http)/api/reports?by=queue", token: admin).json?["rows"] as? [[String: Any]])
            let row = try #require(report.first { $0["group"] as? String == "q" }, "\(report)")
            #expect(row["offered"] as? Int == 4 && row["answered"] as? Int == 1 && row["abandoned"] as? Int == 3 && row["service_level"] as? Double == 0.25, "\(row)")
            let byDepartment = ["report", "--by", "department", "--format", "csv", "--data", ReferenceTests.data(first)]
            let before = try ReferenceTests.cli(byDepartment)
            #expect(before.out.split(separator: "\n").dropFirst().first?.hasPrefix("support,,4,1,1,0.25,") == true, "\(before.out)\(before.err)")
            #expect(first.stop() == 0)
            // queue_log, in order: the answered caller, the three who waited, ann's hang-up.
            let queueLog = try String(contentsOfFile: ReferenceTests.data(first) + "/queue_log", encoding: .utf8)
            let verbs = queueLog.split(separator: "\n").map { $0.split(separator: "|").map(String.init) }.filter { $0.count >= 5 }.map { $0[4] }
            #expect(verbs == ["ENTERQUEUE", "CONNECT", "ENTERQUEUE", "ENTERQUEUE", "ENTERQUEUE", "ABANDON", "ABANDON", "ABANDON", "COMPLETEAGENT"], "\(queueLog)")

            let restarted = try ControllerProcess(name: "wallboard-2", plan: plan, reusing: first.dataFolder)
            let after = Self.today(try Self.board(restarted, token: supervisor))
            #expect(after["offered"] as? Int == 4 && after["answered"] as? Int == 1 && after["abandoned"] as? Int == 3
                    && after["service_level"] as? Double == 0.25, "after a restart: \(after)")
            #expect(try ReferenceTests.cli(byDepartment).out == before.out)
            #expect(restarted.stop() == 0)
        }

        /// Overflow end to end: a caller waits past the first queue's max-wait, moves to the
        /// second and hangs up there. The record counts them offered to both, overflowed from
        /// the first and abandoned in the second; queue_log says so in order; the report by
        /// queue and by department gives those numbers.
        @Test func aCallerWhoOverflowsCountsInBothQueuesInTheReportAndQueueLog() throws {
            let plan = TestPlan.queue(agents: [], queues: """
                department support {
                  title "Support"
                }
                queue first {
                  department support
                  join-empty yes
                  max-wait 2s -> queue second
                }
                queue second {
                  department support
                  join-empty yes
                }

                """, route: "route default -> queue first")
            let controller = try ControllerProcess(name: "overflow", plan: plan)
            let media = try RTPReceiver()
            defer { media.stop() }
            let call = try SIPpRun.run(scenario: "uac-hears-welcome-then-hangs-up.xml", target: try controller.sipPort,
                                       keys: ["rtpport": String(media.port)], pause: 9000)
            #expect(call.exitStatus == 0, "\(call.report)\n\(controller.log)")
            let data = ReferenceTests.data(controller)
            var verbs: [String] = []
            let written = Date().addingTimeInterval(5)
            repeat {
                let lines = ((try? String(contentsOfFile: data + "/queue_log", encoding: .utf8)) ?? "").split(separator: "\n")
                verbs = lines.map { $0.split(separator: "|").map(String.init) }.filter { $0.count >= 5 }.map { "\($0[4]) \($0[2])" }
                if verbs.count < 4 { usleep(100_000) }
            } while verbs.count < 4 && Date() < written
            #expect(verbs == ["ENTERQUEUE first", "EXITWITHTIMEOUT first", "ENTERQUEUE second", "ABANDON second"], "\(verbs)")
            // group, interval, offered, answered, within SL, SL, ASA, abandoned, short, abandon rate, overflowed
            func rows(_ by: String) throws -> [String] {
                try ReferenceTests.cli(["report", "--by", by, "--format", "csv", "--data", data]).out.split(separator: "\n").dropFirst()
                    .map { $0.split(separator: ",", omittingEmptySubsequences: false).prefix(11).joined(separator: ",") }
            }
            let byQueue = try rows("queue"), byDepartment = try rows("department")
            #expect(byQueue == ["first,,1,0,0,,,0,0,,1", "second,,1,0,0,0.0,,1,0,1.0,0"], "\(byQueue)")
            #expect(byDepartment == ["support,,2,0,0,0.0,,1,0,1.0,1"], "\(byDepartment)")
            #expect(controller.stop() == 0)
        }
    }
}
