import Foundation
import Testing

extension EndToEnd {
    /// Input the controller cannot serve gets a clear answer, and nothing is lost.
    @Suite("Bad input")
    struct BadInputTests {
        @Test func anOfferWithNoCommonCodecGets488AndTheNextCallIsServed() throws {
            let controller = try ControllerProcess(name: "codec")
            let rtp = try RTPReceiver()
            defer { rtp.stop() }
            let refused = try SIPpRun.run(
                scenario: "uac-offers-no-common-codec-gets-488.xml", target: try controller.sipPort,
                keys: ["rtpport": String(rtp.port)])
            #expect(refused.exitStatus == 0, "\(refused.report)\n--- controller\n\(controller.log)")
            #expect(controller.lines(event: "call.arrived").isEmpty)

            let served = try SIPpRun.run(
                scenario: "uac-hears-welcome-then-hangs-up.xml", target: try controller.sipPort,
                keys: ["rtpport": String(rtp.port)], pause: 300)
            #expect(served.exitStatus == 0, "\(served.report)\n--- controller\n\(controller.log)")
            #expect(controller.stop() == 0)
            #expect(controller.lines(event: "shutdown.complete").first.flatMap { ControllerProcess.field("calls_handled", in: $0) } == "1")
        }

        @Test func aPlanWithErrorsIsRefusedAtStartWithItsDiagnostics() throws {
            let plan = TestPlan.basic.replacingOccurrences(of: Repository.prompts.path, with: "/nonexistent/prompts")
            let controller = try ControllerProcess(name: "noprompts", plan: plan, waitForListening: false)
            #expect(controller.waitForExit(timeout: 15) == 78)
            #expect(controller.lines(event: "startup.failed").first.map { ControllerProcess.field("why", in: $0) } == "the dialplan has errors")
            let diagnostic = try #require(controller.lines(event: "plan.diagnostic").first, "\(controller.log)")
            #expect(ControllerProcess.field("diagnostic", in: diagnostic)?.hasSuffix("main.dialplan:2:11: error: prompt folder '/nonexistent/prompts' does not exist (relative to the dialplan folder; set it with 'prompts' in settings)") == true,
                    "\(diagnostic)")
        }

        @Test func aSIPPortInUseIsReportedWithTheFailingCall() throws {
            let port = try FreePorts.udpBlock(count: 1)
            let blocker = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
            defer { close(blocker) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(port.bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(blocker, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            try #require(bound == 0)

            let controller = try ControllerProcess(
                name: "portinuse", extraArguments: ["--sip", "127.0.0.1:\(port)"], waitForListening: false)
            #expect(controller.waitForExit(timeout: 15) == 70)
            let failed = try #require(controller.lines(event: "startup.failed").first, "\(controller.log)")
            #expect(ControllerProcess.field("error", in: failed)?.contains("pjsua_transport_create failed") == true, "\(failed)")
        }

        @Test func anUnknownOptionPrintsUsageAndExits64() throws {
            let process = Process()
            process.executableURL = try Repository.binary
            process.arguments = ["run", "--no-such-option"]
            let pipe = Pipe()
            process.standardError = pipe
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 64)
            #expect(text.hasPrefix("throughline: error: unknown option '--no-such-option'"))
        }
    }
}
