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
    }
}
