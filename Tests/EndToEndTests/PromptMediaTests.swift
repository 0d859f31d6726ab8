import Foundation
import Testing

extension EndToEnd {
    /// `--prompt-media`: a caller alone with a prompt is fed by the adapter's own media
    /// threads (`direct`, the default) or through the conference bridge (`bridge`); a call
    /// goes from the first to the second when it is queued and hears music. Either way the
    /// caller's stream is one stream: one SSRC, every sequence number once and in turn, the
    /// timestamp 160 further each packet. A frame fed twice in one tick (the driver and the
    /// bridge both writing to the stream at the hand-over) shows as a packet too many, a
    /// skipped one as a gap.
    @Suite("Prompt media: direct and through the bridge")
    struct PromptMediaTests {
        @Test(arguments: ["direct", "bridge"])
        func callerHearsGreetingThenQueueMusicAsOneUnbrokenStream(_ media: String) throws {
            let controller = try ControllerProcess(name: "prompt-media-\(media)", plan: TestPlan.basic,
                                                   extraArguments: ["--prompt-media", media])
            #expect(controller.lines(event: "sip.listening").first?.contains("prompt_media=\(media)") == true, "\(controller.log)")
            let rtp = try RTPReceiver()
            let caller = try SIPpRun.start(scenario: "uac-hears-welcome-then-hangs-up.xml", target: try controller.sipPort,
                                           keys: ["rtpport": String(rtp.port)], pause: 7_000, timeLimit: 30)
            // The greeting is about 2.6 s; key 1 after it goes to the sales queue, whose agent
            // cannot be reached: the caller waits, hearing the queue's music.
            try #require(rtp.wait(timeout: 10) { $0.count >= 150 }, "the greeting did not arrive\n\(controller.log)")
            let pressed = try rtp.pressKey("1")
            let run = caller.wait()
            rtp.stop()
            #expect(run.exitStatus == 0, "\(run.report)\n\(controller.log)")

            let packets = rtp.packets
            #expect(Set(packets.map(\.ssrc)).count == 1, "\(Set(packets.map(\.ssrc)).count) streams")
            var gaps: [String] = []
            for (a, b) in zip(packets, packets.dropFirst()) where b.sequence != a.sequence &+ 1 || b.timestamp != a.timestamp &+ 160 {
                gaps.append("seq \(a.sequence)→\(b.sequence) ts +\(Int64(b.timestamp) - Int64(a.timestamp))")
            }
            #expect(gaps.isEmpty, "\(gaps.count) breaks in the stream: \(gaps.prefix(10))")
            // The queue's music came after the key: audio, not μ-law silence (0xFF, 0x7F).
            let after = packets.filter { $0.arrival > pressed.addingTimeInterval(0.5) }
            let audible = after.filter { $0.payload.contains { $0 != 0xFF && $0 != 0x7F } }
            #expect(after.count >= 100 && audible.count >= after.count / 2,
                    "\(after.count) packets after the key, \(audible.count) with sound\n\(controller.log)")
            #expect(controller.lines(event: "command.failed").isEmpty, "\(controller.log)")
            #expect(controller.stop() == 0)
        }
    
        /// Callers who hang up in the middle of the greeting, one after another, so each
        /// takes the pjsua call slot (and the driver's place) the last one left mid-prompt:
        /// every one of them hears the greeting.
        @Test func callersHangingUpMidGreetingLeaveTheNextCallerHearingIt() throws {
            let controller = try ControllerProcess(name: "prompt-media-midway", plan: TestPlan.basic)
            for n in 1...3 {
                let rtp = try RTPReceiver()
                let run = try SIPpRun.run(scenario: "uac-hears-welcome-then-hangs-up.xml", target: try controller.sipPort,
                                          keys: ["rtpport": String(rtp.port)], pause: 1200)
                rtp.stop()
                #expect(run.exitStatus == 0, "call \(n): \(run.report)")
                #expect(rtp.packets.count > 25, "call \(n): \(rtp.packets.count) RTP packets\n\(controller.log)")
            }
            #expect(controller.stop() == 0)
        }
    
        /// A caller moves its audio to another port with a re-INVITE a second into the
        /// greeting: pjsua replaces the call's stream, and the greeting goes on at the new
        /// port from where it was, on the same RTP stream (the next sequence numbers), and
        /// ends, so the menu goes on. Before the driver, the bridge's prompt port stayed
        /// joined to the removed stream's port: never read again, it never ended, and the
        /// caller waited in silence for a menu that never came.
        @Test(arguments: [true, false])
        func aCallerWhoMovesItsMediaMidGreetingHearsTheRestOfItThere(sendSilence: Bool) throws {
            let source = Repository.prompts.appendingPathComponent("welcome.wav")
            let prompt = try Audio.WAV(contentsOf: source)
            // With `send-silence no` the new stream must not start paused: the greeting still
            // plays to it.
            let plan = sendSilence ? TestPlan.basic : TestPlan.basic.replacingOccurrences(of: "settings {\n", with: "settings {\n  send-silence no\n")
            let controller = try ControllerProcess(name: "prompt-media-reinvite", plan: plan, extraArguments: ["--log-level", "debug"])
            let first = try RTPReceiver(), second = try RTPReceiver()
            let run = try SIPpRun.run(scenario: "uac-moves-its-media-mid-greeting-then-hangs-up.xml", target: try controller.sipPort,
                                      keys: ["rtpport": String(first.port), "rtpport2": String(second.port)],
                                      pause: Int(prompt.duration * 1000) + 500)
            first.stop()
            second.stop()
            #expect(run.exitStatus == 0, "\(run.report)\n\(controller.log)")
            #expect(first.packets.count >= 40 && second.packets.count >= 40, "\(first.packets.count) packets before the move, \(second.packets.count) after")
            let both = first.packets + second.packets
            #expect(Set(both.map(\.ssrc)).count == 1, "\(Set(both.map(\.ssrc)).count) streams")
            let (correlation, lead) = PromptFromMemoryTests.match(both, prompt.samples)
            #expect(correlation >= 0.98, "the greeting across both ports: correlation \(correlation) at lead \(lead)")
            #expect(controller.lines(event: "prompt.finished").count >= 1, "the greeting never ended\n\(controller.log)")
            #expect(controller.stop() == 0)
        }
    }
}
