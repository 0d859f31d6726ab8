import Foundation
import Testing

extension EndToEnd {
    /// A caller is answered with SDP, the welcome prompt arrives as RTP at the caller's media
    /// port, and BYE ends the call.
    @Suite("A caller hears the welcome prompt")
    struct CallerHearsPromptTests {
        @Test func answeredWithSDPHearsTheWelcomePromptAsRTPAndByeEndsTheCall() throws {
            let controller = try ControllerProcess(name: "welcome")
            let rtp = try RTPReceiver()
            let prompt = try Audio.WAV(contentsOf: Repository.prompts.appendingPathComponent("welcome.wav"))
            let listen = Int(prompt.duration * 1000) + 1500

            let sipp = try SIPpRun.run(
                scenario: "uac-hears-welcome-then-hangs-up.xml", target: try controller.sipPort,
                keys: ["rtpport": String(rtp.port)], pause: listen)
            rtp.stop()
            // SIPp exits 0 only if the INVITE got 200 with an audio SDP and the BYE got 200.
            #expect(sipp.exitStatus == 0, "\(sipp.report)\n--- controller\n\(controller.log)")

            let packets = rtp.packets.sorted { $0.sequence &- $1.sequence > 0x8000 }
            try #require(!packets.isEmpty, "no RTP reached the caller's port \(rtp.port)\n\(controller.log)")
            #expect(rtp.malformedCount == 0)
            #expect(packets.allSatisfy { $0.payloadType == 0 }, "expected PCMU (payload type 0)")
            #expect(Set(packets.map(\.ssrc)).count == 1)

            // At least 90% of 50 packets a second over the prompt's length, by arrival time.
            let first = try #require(rtp.packets.first).arrival
            let duringPrompt = rtp.packets.filter { $0.arrival.timeIntervalSince(first) < prompt.duration }.count
            let expected = prompt.duration * 50
            #expect(Double(duringPrompt) >= 0.9 * expected, "\(duringPrompt) packets in \(prompt.duration)s, expected about \(Int(expected))")

            // The packets carry the prompt: frame by frame, speech where the file has speech
            // and quiet where it is quiet (allowing a few packets of lead-in before the player
            // was connected), then silence while the call is held.
            let received = packets.map { Audio.rms($0.payload.map(Audio.decodeMuLaw)) }
            let frames = stride(from: 0, to: prompt.samples.count, by: 160).map {
                Audio.rms(Array(prompt.samples[$0..<min($0 + 160, prompt.samples.count)]))
            }
            let voiced = { (rms: Double) in rms > 200 }
            let best = (0...10).map { lag -> (lag: Int, agreement: Double) in
                let pairs = zip(received.dropFirst(lag), frames)
                let agree = pairs.filter { voiced($0.0) == voiced($0.1) }.count
                return (lag, Double(agree) / Double(frames.count))
            }.max { $0.agreement < $1.agreement }!
            #expect(best.agreement >= 0.95, "received audio matches the prompt in only \(Int(best.agreement * 100))% of frames")
            #expect(frames.filter(voiced).count > frames.count / 2, "the prompt file itself should be mostly speech")
            let afterPrompt = received.dropFirst(best.lag + frames.count + 2)
            #expect(!afterPrompt.isEmpty && afterPrompt.allSatisfy { $0 < 50 }, "after the prompt the held call should hear silence")

            // The controller's records of the call: arrived, greeted, ended by the BYE, gone.
            let arrived = try #require(controller.waitForLine(event: "call.arrived", timeout: 5), "\(controller.log)")
            #expect(ControllerProcess.field("from", in: arrived) == "5551234")
            #expect(ControllerProcess.field("to", in: arrived) == "5551000")
            let callID = try #require(ControllerProcess.field("sip_call_id", in: arrived))
            #expect(controller.lines(event: "prompt.started").contains { ControllerProcess.field("prompt", in: $0) == "welcome" })
            let ended = try #require(controller.waitForLine(event: "call.ended", timeout: 5), "\(controller.log)")
            #expect(ControllerProcess.field("sip_call_id", in: ended) == callID)
            #expect(ControllerProcess.field("code", in: ended) == "200")
            #expect(ControllerProcess.field("active", in: ended) == "0")

            #expect(controller.stop() == 0)
            #expect(controller.lines(event: "shutdown.complete").first.flatMap { ControllerProcess.field("calls_handled", in: $0) } == "1")
        }
    }
}
