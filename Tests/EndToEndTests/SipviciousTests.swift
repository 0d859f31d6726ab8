import Foundation
import Testing

extension EndToEnd {
    /// The attackers' own tools against a plan with real agent logins: Debian's `sipvicious`
    /// (0.3.3). Its `-b` (source address) is read and never used, so it always sends from
    /// 127.0.0.1; carol's honest phone is pjsua at 127.0.0.2, and the caller comes from
    /// 127.0.0.4.
    @Suite("Security: sipvicious finds nothing and is stopped", .serialized)
    struct SipviciousTests {
        typealias Agent = TestPlan.QueueAgent

        /// `svwar --force` with a dictionary holding the real logins `carol` and `ann` finds no
        /// user (a known and an unknown login get the same challenge). `svcrack` against
        /// carol with 300 wrong passwords and then the right one is blocked after the plan's
        /// default 5 failures: `security.blocked` is logged, nothing more reaches the registrar,
        /// and it does not find the password. Meanwhile carol's phone at 127.0.0.2 registers
        /// and takes a queue call from 127.0.0.4, and her registration is still the phone's.
        @Test func svwarFindsNoLoginAndSvcrackIsBlockedWhileCarolsPhoneRegistersAndTakesACall() throws {
            let plan = TestPlan.queue(agents: [Agent("carol", login: "carol", secret: "carol-secret-2026", skills: "billing=5"),
                                               Agent("ann", login: "ann", secret: "ann-secret-2026", skills: "billing=5")],
                                      queues: "queue q {\n  require billing>=1\n  join-empty yes\n}\n")
            let controller = try ControllerProcess(name: "sipvicious", plan: plan)
            let sip = try controller.sipPort
            let folder = try Repository.scratchFolder("sipvicious")
            defer { try? FileManager.default.removeItem(at: folder) }
            let users = folder.appendingPathComponent("users.txt")
            try "100\n1000\nadmin\ncarol\nsupport\nann\noperator\n200\n".write(to: users, atomically: true, encoding: .utf8)
            let passwords = folder.appendingPathComponent("passwords.txt")
            try ((1...300).map { "guess\($0)" } + ["carol-secret-2026"]).joined(separator: "\n").appending("\n")
                .write(to: passwords, atomically: true, encoding: .utf8)

            // Enumeration: every login, real or not, gets the same 401.
            let war = try Self.run("/usr/bin/svwar", ["--force", "-d", users.path, "-P", String(try FreePorts.udpBlock(count: 1)),
                                                      "-p", String(sip), "127.0.0.1"], in: folder, timeLimit: 30)
            #expect(war.contains("found nothing"), "svwar: \(war)")
            #expect(!war.contains("| carol") && !war.contains("| ann"), "svwar: \(war)")
            #expect(controller.lines(event: "security.blocked").isEmpty, "a scan without passwords blocked: \(controller.log.suffix(2000))")

            // Guessing: svcrack in the background, carol's phone registering meanwhile.
            let crack = try Self.start("/usr/bin/svcrack", ["-u", "carol", "-d", passwords.path, "--maximumtime=2",
                                                           "-P", String(try FreePorts.udpBlock(count: 1)), "-p", String(sip), "127.0.0.1"],
                                       in: folder)
            let phone = try PjsuaPhone(register: ("127.0.0.1:\(sip)", "carol", "carol-secret-2026"), address: "127.0.0.2")
            defer { phone.stop() }
            let blocked = try #require(controller.waitForLine(event: "security.blocked", timeout: 15), "\(controller.log.suffix(3000))")
            #expect(blocked.contains("level=warning event=security.blocked source=127.0.0.1 failures=5 block_seconds=900"), "\(blocked)")
            let cracked = Self.finish(crack, timeLimit: 30)
            #expect(cracked.contains("found nothing") && !cracked.contains("carol-secret-2026"), "svcrack: \(cracked)")
            // Five refusals reached the registrar; every later guess was dropped before it.
            #expect(controller.lines(event: "registration.refused").count == 5, "\(controller.lines(event: "registration.refused"))")
            #expect(controller.waitForLine(event: "agent.registered", timeout: 10) { $0.contains("127.0.0.2") } != nil,
                    "\(controller.log.suffix(3000))\n\(phone.logTail())")

            // carol's phone takes a call from a caller at 127.0.0.4.
            let media = try RTPReceiver()
            defer { media.stop() }
            let caller = try SIPpRun.run(scenario: "uac-hears-welcome-then-hangs-up.xml", target: sip, keys: ["rtpport": String(media.port)],
                                         pause: 1000, extra: ["-i", "127.0.0.4", "-mi", "127.0.0.4"], timeLimit: 20)
            #expect(caller.exitStatus == 0, "\(caller.report)")
            let record = try #require(try QueueTests.records(controller, count: 1).first)
            #expect((record["outcome"] as? String)?.hasPrefix("queue q: answered by carol") == true,
                    "\(record)\n\(controller.log.suffix(3000))\n\(phone.logTail())")
            let agent = try QueueTests.agent(controller, "carol")
            #expect((agent.json?["contact"] as? String)?.contains("127.0.0.2:\(phone.port)") == true, "\(agent.body)")
            #expect(controller.stop() == 0)
        }

        /// Runs a sipvicious tool to its end (bounded) and returns what it printed.
        static func run(_ tool: String, _ arguments: [String], in folder: URL, timeLimit: TimeInterval) throws -> String {
            finish(try start(tool, arguments, in: folder), timeLimit: timeLimit)
        }

        static func start(_ tool: String, _ arguments: [String], in folder: URL) throws -> (Process, URL) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: tool)
            process.arguments = arguments
            process.currentDirectoryURL = folder
            // Its sessions go under $HOME/.sipvicious: keep them in the scratch folder.
            process.environment = ProcessInfo.processInfo.environment.merging(["HOME": folder.path]) { $1 }
            let output = folder.appendingPathComponent(URL(fileURLWithPath: tool).lastPathComponent + ".out")
            _ = FileManager.default.createFile(atPath: output.path, contents: nil)
            let handle = try FileHandle(forWritingTo: output)
            process.standardOutput = handle
            process.standardError = handle
            process.standardInput = FileHandle.nullDevice
            try process.run()
            return (process, output)
        }

        /// Waits for a started tool (killed by PID after `timeLimit`) and returns its output.
        static func finish(_ started: (Process, URL), timeLimit: TimeInterval) -> String {
            let (process, output) = started
            let deadline = Date().addingTimeInterval(timeLimit)
            while process.isRunning && Date() < deadline { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            return (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        }
    }
}
