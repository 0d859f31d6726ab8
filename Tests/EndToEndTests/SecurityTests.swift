import Foundation
import Testing

extension EndToEnd {
    /// A password guesser on the network, with SIPp as the guesser and as the honest phone,
    /// from different loopback addresses.
    @Suite("Security: guessing is stopped", .serialized)
    struct SecurityTests {
        typealias Agent = TestPlan.QueueAgent

        /// Three wrong passwords from 127.0.0.3 within the window block that address: it is
        /// logged (`security.blocked`, the line a fail2ban filter reads), listed by
        /// `GET /api/security`, and its next REGISTER, even with the right password, gets no
        /// answer at all; carol's phone at 127.0.0.2 registers meanwhile. When the 4 s block
        /// ends, `security.unblocked` is logged and 127.0.0.3 is answered again.
        @Test func wrongPasswordsFromOneAddressBlockItWhileAnotherAddressRegisters() throws {
            let plan = TestPlan.queue(agents: [Agent("carol", login: "carol", secret: "carol-secret-2026", skills: "billing=5")],
                                      queues: "queue q {\n  require billing>=1\n  join-empty yes\n}\n",
                                      settings: "  auth-failures 3\n  auth-failure-window 60s\n  auth-block 4s\n")
            let controller = try ControllerProcess(name: "security-guessing", plan: plan)
            let sip = try controller.sipPort
            func register(_ scenario: String, from address: String, password: String) throws -> SIPpRun {
                try SIPpRun.run(scenario: scenario, target: sip, service: "carol",
                                extra: ["-i", address, "-au", "carol", "-ap", password], timeLimit: 10)
            }
            for guess in ["password", "carol", "123456"] {
                let refused = try register("uac-registers-with-a-wrong-password-is-refused.xml", from: "127.0.0.3", password: guess)
                #expect(refused.exitStatus == 0, "a wrong password gets 401 then 403: \(refused.report)\n\(controller.log)")
            }
            let blocked = try #require(controller.waitForLine(event: "security.blocked", timeout: 5), "\(controller.log)")
            #expect(blocked.contains("level=warning event=security.blocked source=127.0.0.3 failures=3 block_seconds=4 until="), "\(blocked)")
            let listed = try Curl.request("GET", "http://\(try controller.httpAddress)/api/security", token: try controller.adminToken)
            let sources = (listed.json?["blocked"] as? [[String: Any]])?.compactMap { $0["source"] as? String }
            #expect(listed.status == 200 && sources == ["127.0.0.3"], "\(listed.body)")

            // The right password from the blocked address: no answer, not even a challenge.
            let ignored = try register("uac-registers-and-hears-nothing.xml", from: "127.0.0.3", password: "carol-secret-2026")
            #expect(ignored.exitStatus != 0 && ignored.output.contains("receive timeout on message"),
                    "a blocked address was answered: \(ignored.report)")
            // carol's phone at another address is served as usual.
            let honest = try register("uac-registers-with-the-right-password.xml", from: "127.0.0.2", password: "carol-secret-2026")
            #expect(honest.exitStatus == 0, "\(honest.report)\n\(controller.log)")
            #expect(controller.waitForLine(event: "agent.registered", timeout: 5) { $0.contains("127.0.0.2") } != nil, "\(controller.log)")

            // The block ends by itself.
            let unblocked = controller.waitForLine(event: "security.unblocked", timeout: 8)
            #expect(unblocked?.contains("source=127.0.0.3") == true, "\(controller.log)")
            let afterwards = try Curl.request("GET", "http://\(try controller.httpAddress)/api/security", token: try controller.adminToken)
            #expect(afterwards.status == 200 && (afterwards.json?["blocked"] as? [Any])?.isEmpty == true, "\(afterwards.body)")
            let again = try register("uac-registers-with-the-right-password.xml", from: "127.0.0.3", password: "carol-secret-2026")
            #expect(again.exitStatus == 0, "\(again.report)\n\(controller.log)")
            #expect(controller.stop() == 0)
        }

        /// The identifiers that name a dialog on the wire are unguessable (RFC 3261 section
        /// 19.3: tags cryptographically random; an off-path guesser who knew Call-ID and tags
        /// could end a call with a forged BYE): three queue calls reach ann's phone, and each
        /// INVITE's Call-ID, From tag and Via branch carry a random version-4 UUID, all
        /// different. While her legs step over RTP ports the callers hold (pjsua's port search
        /// keeps a place per account), the controller logs no error for it.
        @Test func agentInvitesCarryRandomCallIDsTagsAndBranchesAndBusyPortsAreNoError() throws {
            let agentPort = try FreePorts.udpBlock(count: 1)
            let plan = TestPlan.queue(agents: [Agent("ann", port: agentPort, skills: "support=1")],
                                      queues: "queue q {\n  require support>=1\n  wrap-up 0s\n  join-empty yes\n}\n")
            let controller = try ControllerProcess(name: "security-identifiers", plan: TestPlan.trusting("127.0.0.1", plan), rtpPorts: 32)
            let sink = try RTPReceiver()
            defer { sink.stop() }
            let folder = try Repository.scratchFolder("identifiers")
            defer { try? FileManager.default.removeItem(at: folder) }
            let trace = folder.appendingPathComponent("agent.log")
            let sip = try controller.sipPort
            let agent = try SIPpRun.start(scenario: "uas-agent-answers-then-hangs-up.xml", target: nil, calls: 3,
                                          keys: ["rtpport": String(sink.port), "controller": "127.0.0.1:\(sip)"], pause: 200,
                                          extra: ["-p", String(agentPort), "-trace_msg", "-message_file", trace.path], timeLimit: 30)
            let callers = try SIPpRun.start(scenario: "uac-stays-until-hung-up.xml", target: sip, calls: 3,
                                            keys: ["rtpport": String(sink.port)], extra: ["-l", "3", "-r", "10"], timeLimit: 30)
            let callersDone = callers.wait(), agentDone = agent.wait()
            #expect(callersDone.exitStatus == 0 && agentDone.exitStatus == 0, "\(callersDone.report)\n\(agentDone.report)\n\(controller.log)")

            let text = try String(contentsOf: trace, encoding: .utf8)
            let invites = text.components(separatedBy: "----------------------------------------------- ")
                .filter { $0.contains("message received") && $0.contains("INVITE sip:") }
            #expect(invites.count == 3, "\(invites.count) INVITEs reached ann's phone:\n\(text)")
            let uuid = #/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/#
            var seen: Set<String> = []
            for invite in invites {
                let lines = invite.components(separatedBy: .newlines).map { $0.trimmingCharacters(in: .whitespaces) }
                let callID = lines.first { $0.hasPrefix("Call-ID:") } ?? ""
                let from = lines.first { $0.hasPrefix("From:") } ?? ""
                let via = lines.first { $0.hasPrefix("Via:") } ?? ""
                for (name, line, marker) in [("Call-ID", callID, "Call-ID: "), ("From tag", from, ";tag="), ("Via branch", via, ";branch=z9hG4bKPj")] {
                    let value = line.components(separatedBy: marker).dropFirst().first.map { String($0.prefix(36)) } ?? ""
                    #expect(value.wholeMatch(of: uuid) != nil, "\(name) is not a random UUID: \(line)")
                    #expect(seen.insert(value).inserted, "\(name) \(value) was used twice")
                }
            }
            #expect(controller.stop() == 0)
            let portErrors = controller.lines.filter { $0.contains("level=error") && $0.contains("bind()") }
            #expect(portErrors.isEmpty, "\(portErrors.joined(separator: "\n"))")
        }
    }
}
