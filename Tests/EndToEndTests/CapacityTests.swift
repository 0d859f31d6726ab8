import Foundation
import Testing

extension EndToEnd {
    /// How many calls the controller holds, and what a caller past that hears.
    @Suite("Capacity")
    struct CapacityTests {
        /// A controller told `--max-calls 3` whose plan names one agent keeps one slot for that
        /// agent's leg: two callers wait in a queue the agent cannot serve, and the third
        /// caller gets 503 with Retry-After (SIPp checks both), the log says why with the
        /// caller's address, and the two held calls are untouched.
        @Test func theCallPastItsShareOfMaxCallsGets503WithRetryAfterAndTheLogSaysWhy() throws {
            let plan = TestPlan.queue(agents: [.init("ann", port: 9, skills: "sales=1")], queues: "queue q {\n  require support>=1\n  join-empty yes\n}\n")
            let controller = try ControllerProcess(name: "capacity", plan: plan, extraArguments: ["--max-calls", "3"])
            let listening = try #require(controller.lines(event: "sip.listening").first)
            #expect(ControllerProcess.field("max_calls", in: listening) == "3" && ControllerProcess.field("max_calls_by", in: listening) == "asked",
                    "\(listening)")
            let rtp = try RTPReceiver()
            defer { rtp.stop() }
            let sip = try controller.sipPort
            let holders = try SIPpRun.start(scenario: "uac-stays-until-hung-up.xml", target: sip, calls: 2,
                                            keys: ["rtpport": String(rtp.port)], extra: ["-l", "2", "-r", "10"], timeLimit: 60)
            var held = 0
            for _ in 0..<100 where held < 2 {
                held = controller.lines(event: "queue.joined").count
                Thread.sleep(forTimeInterval: 0.1)
            }
            #expect(held == 2, "\(controller.log)")

            let refused = try SIPpRun.run(scenario: "uac-past-the-call-limit-gets-503-with-retry-after.xml", target: sip,
                                          keys: ["rtpport": String(rtp.port)])
            #expect(refused.exitStatus == 0, "\(refused.report)\n--- controller\n\(controller.log)")
            let line = try #require(controller.waitForLine(event: "call.refused", timeout: 5), "\(controller.log)")
            #expect(ControllerProcess.field("reason", in: line) == "capacity")
            #expect(ControllerProcess.field("from", in: line)?.hasPrefix("127.0.0.1:") == true, "\(line)")
            #expect(controller.lines(event: "call.arrived").count == 2)

            // The held callers are still there, and leave when the controller stops.
            #expect(controller.stop() == 0)
            let done = holders.wait()
            #expect(done.exitStatus == 0, "\(done.report)")
        }

        /// Without `--max-calls`, the limit is what the build (8,192), the RTP ports (two a call)
        /// and the open-file limit allow: the harness gives 64 RTP ports, so 32 calls, and the
        /// controller has raised its soft open-file limit to the hard one.
        @Test func withoutMaxCallsTheLimitIsWhatTheBuildThePortsAndTheFilesAllow() throws {
            let controller = try ControllerProcess(name: "capacity-default", rtpPorts: 64)
            let listening = try #require(controller.lines(event: "sip.listening").first)
            #expect(ControllerProcess.field("max_calls", in: listening) == "32", "\(listening)")
            #expect(ControllerProcess.field("max_calls_by", in: listening) == "rtp-ports", "\(listening)")
            // Media threads: one a core unless told.
            #expect(ControllerProcess.field("media_threads", in: listening) == String(ProcessInfo.processInfo.activeProcessorCount), "\(listening)")
            let limits = try String(contentsOfFile: "/proc/\(controller.process.processIdentifier)/limits", encoding: .utf8)
            let files = try #require(limits.split(separator: "\n").first { $0.hasPrefix("Max open files") })
            let numbers = files.split(separator: " ").dropFirst(3).prefix(2).map(String.init)
            #expect(numbers.count == 2 && numbers[0] == numbers[1], "soft and hard open-file limits: \(files)")
            #expect(controller.stop() == 0)
        }
    }
}
