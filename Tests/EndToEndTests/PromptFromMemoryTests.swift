import Foundation
import Testing
import TestSupport

extension EndToEnd {
    /// Prompts play from memory through bridge ports that serve call after call
    /// (`PromptPort`): each caller still hears its prompt from the first sample, a recording
    /// replaced on disk is heard from the next call, and a file the memory path does not take
    /// (16 kHz) still plays through pjmedia's WAV player.
    @Suite("Prompts from memory")
    struct PromptFromMemoryTests {
        /// A folder with `company-welcome.wav` (a copy of `source`), and a plan that greets
        /// with it and then waits 20 s for a key in silence.
        static func plan(greeting source: URL, name: String) throws -> (folder: URL, file: URL, plan: String) {
            let folder = try Repository.scratchFolder(name)
            let file = folder.appendingPathComponent("company-welcome.wav")
            try FileManager.default.copyItem(at: source, to: file)
            let plan = """
            settings {
              prompts "\(folder.path)"
              send-silence yes
            }
            route default -> menu main
            menu main {
              greeting "company-welcome"
              timeout 20s
              option 1 -> hangup
            }
            """
            return (folder, file, plan)
        }

        /// How closely one caller's stream carries `samples` from their first sample: the
        /// best normalized correlation of the decoded PCMU with the file over the whole file,
        /// over the lead-ins `leads` (in samples: by default whole packets, up to ten), and
        /// that lead-in.
        static func match(_ packets: [RTPReceiver.Packet], _ samples: [Int16],
                          leads: StrideThrough<Int> = stride(from: 0, through: 1600, by: 160)) -> (correlation: Double, lead: Int) {
            let ordered = packets.sorted { $0.sequence &- $1.sequence > 0x8000 }
            let heard = ordered.flatMap { $0.payload.map(Audio.decodeMuLaw) }
            return leads.map { lead -> (correlation: Double, lead: Int) in
                let start = lead
                let n = min(samples.count, max(0, heard.count - start))
                guard n > 0 else { return (0, lead) }
                var dot = 0.0, a = 0.0, b = 0.0
                for i in 0..<n {
                    let x = Double(heard[start + i]), y = Double(samples[i])
                    dot += x * y; a += x * x; b += y * y
                }
                // Audio missing at the end counts against the match: the whole file is owed.
                let coverage = Double(n) / Double(samples.count)
                return (a > 0 && b > 0 ? dot / (a * b).squareRoot() * coverage : 0, lead)
            }.max { $0.correlation < $1.correlation }!
        }

        /// Two rounds of three callers at once, each round after the last has hung up, so the
        /// second round's prompts play through the ports the first round released. Every one
        /// of the six streams (told apart by SSRC) carries the whole greeting from its first
        /// sample, sample for sample within G.711's rounding. A port played again without its
        /// place reset, or still joined to its last caller, fails this.
        @Test func callersRoundAfterRoundEachHearTheWholeGreetingFromItsFirstSample() throws {
            let source = Repository.prompts.appendingPathComponent("welcome.wav")
            let (folder, _, plan) = try Self.plan(greeting: source, name: "prompt-rounds")
            defer { try? FileManager.default.removeItem(at: folder) }
            let prompt = try Audio.WAV(contentsOf: source)
            let controller = try ControllerProcess(name: "prompt-rounds", plan: plan)
            for round in 1...2 {
                let rtp = try RTPReceiver()
                let run = try SIPpRun.run(scenario: "uac-hears-welcome-then-hangs-up.xml", target: try controller.sipPort, calls: 3,
                                          keys: ["rtpport": String(rtp.port)], pause: Int(prompt.duration * 1000) + 1000)
                rtp.stop()
                #expect(run.exitStatus == 0, "round \(round): \(run.report)\n--- controller\n\(controller.log)")
                let streams = Dictionary(grouping: rtp.packets, by: \.ssrc)
                #expect(streams.count == 3, "round \(round): \(streams.count) streams")
                for (ssrc, packets) in streams {
                    let (correlation, lead) = Self.match(packets, prompt.samples)
                    #expect(correlation >= 0.98, "round \(round), SSRC \(ssrc): correlation \(correlation) at lead \(lead) samples")
                }
            }
            #expect(controller.lines(event: "command.failed").isEmpty, "\(controller.log)")
            #expect(controller.stop() == 0)
        }

        /// The greeting's file is replaced (a new file renamed over it, as an editor or a
        /// recording upload does) between two calls: the first caller hears the old recording,
        /// the second the new one, without a reload.
        @Test func aGreetingReplacedOnDiskIsHeardFromTheNextCall() throws {
            let old = Repository.prompts.appendingPathComponent("welcome.wav")
            let new = Repository.prompts.appendingPathComponent("goodbye.wav")
            let (folder, file, plan) = try Self.plan(greeting: old, name: "prompt-replaced")
            defer { try? FileManager.default.removeItem(at: folder) }
            let oldAudio = try Audio.WAV(contentsOf: old), newAudio = try Audio.WAV(contentsOf: new)
            let controller = try ControllerProcess(name: "prompt-replaced", plan: plan)

            func call() throws -> [RTPReceiver.Packet] {
                let rtp = try RTPReceiver()
                let run = try SIPpRun.run(scenario: "uac-hears-welcome-then-hangs-up.xml", target: try controller.sipPort,
                                          keys: ["rtpport": String(rtp.port)], pause: Int(oldAudio.duration * 1000) + 800)
                rtp.stop()
                #expect(run.exitStatus == 0, "\(run.report)\n--- controller\n\(controller.log)")
                return rtp.packets
            }
            let first = try call()
            #expect(Self.match(first, oldAudio.samples).correlation >= 0.98)

            let staged = folder.appendingPathComponent(".company-welcome.wav.new")
            try FileManager.default.copyItem(at: new, to: staged)
            #expect(rename(staged.path, file.path) == 0)
            let second = try call()
            let heardNew = Self.match(second, newAudio.samples).correlation
            let heardOld = Self.match(second, oldAudio.samples).correlation
            #expect(heardNew >= 0.98 && heardOld < 0.5, "new recording \(heardNew), old \(heardOld)")
            #expect(controller.stop() == 0)
        }

        /// A 16 kHz greeting is not kept in memory (the bridge runs at 8 kHz); it plays through
        /// pjmedia's WAV player, which the bridge resamples: the caller hears it frame by frame.
        @Test func aGreetingAt16kHzStillPlaysThroughTheWAVPlayer() throws {
            let source = Repository.prompts.appendingPathComponent("welcome.wav")
            let (folder, file, plan) = try Self.plan(greeting: source, name: "prompt-16k")
            defer { try? FileManager.default.removeItem(at: folder) }
            let prompt = try Audio.WAV(contentsOf: source)
            // Each sample twice: the same speech at 16,000 samples a second.
            try Data(WAVFile.bytes(rate: 16000, samples: prompt.samples.flatMap { [$0, $0] })).write(to: file)
            let controller = try ControllerProcess(name: "prompt-16k", plan: plan)
            let rtp = try RTPReceiver()
            let run = try SIPpRun.run(scenario: "uac-hears-welcome-then-hangs-up.xml", target: try controller.sipPort,
                                      keys: ["rtpport": String(rtp.port)], pause: Int(prompt.duration * 1000) + 800)
            rtp.stop()
            #expect(run.exitStatus == 0, "\(run.report)\n--- controller\n\(controller.log)")
            // Resampled, so not sample for sample, and delayed by the filter by a few samples:
            // every lead-in to the sample is tried.
            let (correlation, lead) = Self.match(rtp.packets, prompt.samples, leads: stride(from: 0, through: 1600, by: 1))
            #expect(correlation >= 0.8, "correlation \(correlation) at lead \(lead)")
            #expect(controller.lines(event: "command.failed").isEmpty, "\(controller.log)")
            #expect(controller.stop() == 0)
        }
    }
}
