import Foundation
import Testing

extension EndToEnd {
    /// `send-silence no`: a caller waiting for a key after the greeting is sent no RTP, and
    /// the next prompt's packets carry on the stream as RFC 3550 silence suppression wants (the
    /// next sequence number, the timestamp advanced by the time that passed). The default
    /// (`yes`, packets of silence throughout) is what `CallerHearsPromptTests` hears.
    @Suite("Silence is not sent when the plan says so")
    struct SilenceTests {
        @Test func aCallerWaitingForAKeyGetsNoRTPAndTheNextPromptContinuesTheStream() throws {
            let plan = TestPlan.menus.replacingOccurrences(of: "settings {\n", with: "settings {\n  send-silence no\n")
            let controller = try ControllerProcess(name: "send-silence-no", plan: plan)
            let rtp = try RTPReceiver()
            let caller = try SIPpRun.start(scenario: "uac-hears-welcome-then-hangs-up.xml", target: try controller.sipPort,
                                           keys: ["rtpport": String(rtp.port)], pause: 12_000, timeLimit: 40)
            try #require(rtp.wait(timeout: 10) { !$0.isEmpty }, "no RTP reached the caller\n\(controller.log)")

            // The greeting plays (about 2.6 s), then the menu waits 2 s for a key: the stream
            // must fall silent, no packet for 0.6 s.
            let quiet = rtp.wait(timeout: 10) { packets in
                guard let last = packets.last else { return false }
                return Date().timeIntervalSince(last.arrival) > 0.6
            }
            try #require(quiet, "RTP kept coming after the greeting\n\(controller.log)")
            let greeting = rtp.packets
            let last = try #require(greeting.last)
            #expect(greeting.count >= 100, "the greeting came as \(greeting.count) packets")
            Thread.sleep(forTimeInterval: 0.6)
            #expect(rtp.packets.count == greeting.count, "packets arrived while the caller waited for a key")

            // Key 2: the support menu's greeting comes on the same stream.
            let pressed = try rtp.pressKey("2")
            try #require(rtp.wait(timeout: 3) { $0.count > greeting.count + 10 }, "no prompt after key 2\n\(controller.log)")
            let resumed = rtp.packets[greeting.count]
            #expect(resumed.ssrc == last.ssrc)
            #expect(resumed.sequence == last.sequence &+ 1, "sequence \(last.sequence) then \(resumed.sequence)")
            // The timestamp counts the silent time (8,000 a second), within 100 ms.
            let elapsed = resumed.arrival.timeIntervalSince(last.arrival)
            let advanced = Double(resumed.timestamp &- last.timestamp) / 8000
            #expect(abs(advanced - elapsed) < 0.1, "timestamp advanced \(advanced) s over \(elapsed) s of silence")
            #expect(resumed.arrival.timeIntervalSince(pressed) < 0.5, "the support greeting took \(resumed.arrival.timeIntervalSince(pressed)) s")

            let run = caller.wait()
            rtp.stop()
            #expect(run.exitStatus == 0, "\(run.report)\n\(controller.log)")
            #expect(controller.stop() == 0)
        }
    }
}
