import Foundation
import Testing

extension EndToEnd {
    /// A flood on the network: SIPp sending thousands of INVITEs a second from 127.0.0.3 while
    /// honest callers from 127.0.0.1 are served, with the plan's default flood limit.
    @Suite("Security: floods are shed per source", .serialized)
    struct FloodTests {
        /// 6,000 INVITEs at up to 3,000 a second from 127.0.0.3 (never retransmitted; bounded by
        /// SIPp's count and a 20 s limit) while 40 callers at 20 a second from 127.0.0.1 hear
        /// the welcome prompt and hang up. The flooder is shed at the default limit (100 new
        /// requests per 2 s): `security.flood` is logged, `GET /api/security` lists it, and the
        /// controller takes at most the limit per sample from it; every honest call is
        /// answered (their INVITE-200 percentiles are printed). When the flood stops, the
        /// next quiet sample ends the shedding (`security.flood-ended`, with the dropped
        /// count) and a call from 127.0.0.3 is answered again. Every response carries the
        /// plan's `user-agent` as its Server header.
        @Test func aFloodFromOneAddressIsShedWhileCallersFromAnotherAreAllAnswered() throws {
            let plan = TestPlan.basic.replacingOccurrences(of: "settings {\n", with: "settings {\n  user-agent \"Acme Contact Centre\"\n")
                .replacingOccurrences(of: "timeout 30s", with: "timeout 2s")
            let controller = try ControllerProcess(name: "flood", plan: plan, rtpPorts: 600)
            let sip = try controller.sipPort
            let sink = try RTPSink()
            defer { sink.stop() }

            let flood = try SIPpRun.start(scenario: "uac-floods-invites-and-hangs-up-when-answered.xml", target: sip, calls: 6_000,
                                          extra: ["-i", "127.0.0.3", "-mi", "127.0.0.3", "-nr", "-r", "3000", "-l", "4000"], timeLimit: 20)
            let shed = try #require(controller.waitForLine(event: "security.flood", timeout: 10), "\(controller.log.suffix(3000))")
            #expect(shed.contains(#"level=warning event=security.flood source=127.0.0.3 limit=100 window_seconds=2 why="request flood""#), "\(shed)")
            let listed = try Curl.request("GET", "http://\(try controller.httpAddress)/api/security", token: try controller.adminToken)
            let shedSources = (listed.json?["shed"] as? [[String: Any]])?.compactMap { $0["source"] as? String }
            #expect(listed.status == 200 && shedSources == ["127.0.0.3"], "\(listed.body)")

            // Honest callers while the flood goes on.
            let honest = try SIPpRun.run(scenario: "uac-hears-welcome-then-hangs-up.xml", target: sip, calls: 40,
                                         keys: ["rtpport": String(sink.port)], pause: 300,
                                         extra: ["-r", "20", "-trace_msg", "-message_file", "messages.log"], timeLimit: 30, keepFolder: true)
            defer { try? FileManager.default.removeItem(at: honest.folder) }
            let floodRun = flood.wait()
            #expect(honest.exitStatus == 0 && honest.statistic("Successful call") == 40 && honest.statistic("Failed call") == 0,
                    "\(honest.report)\n\(controller.log.suffix(3000))")
            // INVITE sent → 200 received, per call, from SIPp's message trace (microseconds).
            var invited: [String: Date] = [:], times: [Double] = []
            for m in try LatencyBenchmark.traceMessages(honest.folder.appendingPathComponent("messages.log")) {
                if m.sent && m.firstLine.hasPrefix("INVITE ") { invited[m.callID] = m.at }
                if !m.sent, m.firstLine.hasPrefix("SIP/2.0 200"), m.cseq.hasSuffix("INVITE"), let sent = invited.removeValue(forKey: m.callID) {
                    times.append(m.at.timeIntervalSince(sent) * 1000)
                }
            }
            times.sort()
            print(String(format: "flood: %d INVITEs sent from 127.0.0.3; 40 callers from 127.0.0.1: INVITE-200 p50 %.2f / p99 %.2f / max %.2f ms",
                         floodRun.statistic("Total Calls created") ?? -1,
                         LoadBenchmark.percentile(times, 0.5), LoadBenchmark.percentile(times, 0.99), times.last ?? -1))
            #expect(times.count == 40, "\(times)")

            // What got through from the flood: at most the limit per 2 s sample it spanned.
            let floodCalls = controller.lines(event: "call.arrived").filter { $0.contains("from=5550666") }.count
            let ended = try #require(controller.waitForLine(event: "security.flood-ended", timeout: 10), "\(controller.log.suffix(3000))")
            #expect(ended.contains("source=127.0.0.3 dropped="), "\(ended)")
            let dropped = Int(ended.split(separator: " ").first { $0.hasPrefix("dropped=") }?.dropFirst(8) ?? "") ?? 0
            let lasted = Int(ended.split(separator: " ").first { $0.hasPrefix("duration_ms=") }?.dropFirst(12) ?? "") ?? 0
            print("flood: \(floodCalls) of its calls reached the controller, \(dropped) requests dropped, shed for \(lasted) ms")
            // Each 2 s sample it spans lets through at most 100: the one before shedding, each it
            // lasts, and the quiet one that ends it.
            #expect(dropped > 1_000 && floodCalls <= 100 * (lasted / 2_000 + 3), "\(floodCalls) calls, \(dropped) dropped over \(lasted) ms")

            // Quiet again: the list is empty and 127.0.0.3 is answered.
            let afterwards = try Curl.request("GET", "http://\(try controller.httpAddress)/api/security", token: try controller.adminToken)
            #expect(afterwards.status == 200 && (afterwards.json?["shed"] as? [Any])?.isEmpty == true, "\(afterwards.body)")
            let again = try SIPpRun.run(scenario: "uac-hears-welcome-then-hangs-up.xml", target: sip, keys: ["rtpport": String(sink.port)],
                                        pause: 300, extra: ["-i", "127.0.0.3"], timeLimit: 10)
            #expect(again.exitStatus == 0, "\(again.report)")

            // The plan's name on every response; no version anywhere.
            let messages = (try? String(contentsOf: honest.folder.appendingPathComponent("messages.log"), encoding: .utf8)) ?? ""
            // SIP lines end in CRLF, one Character in Swift: split on isNewline, not "\n".
            let servers = Set(messages.split(whereSeparator: \.isNewline).filter { $0.lowercased().hasPrefix("server:") }.map(String.init))
            #expect(servers == ["Server: Acme Contact Centre"], "\(servers)")
            #expect(controller.stop() == 0)
        }
    }
}
