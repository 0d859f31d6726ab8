import Foundation
import Testing

extension EndToEnd {
    /// A plan's prompt folder sits on top of the shipped pack of its language: a company's
    /// folder with only its own greeting is enough.
    @Suite("Prompt layers")
    struct PromptLayerTests {
        /// A folder holding only `company-welcome.wav`, and a plan that greets with it and
        /// hangs up on key 1 (the runtime's `goodbye` first).
        static func ownPrompts() throws -> (folder: URL, plan: String) {
            let folder = try Repository.scratchFolder("own-prompts")
            try FileManager.default.copyItem(at: Repository.prompts.appendingPathComponent("welcome.wav"),
                                             to: folder.appendingPathComponent("company-welcome.wav"))
            let plan = """
            settings {
              prompts "\(folder.path)"
            }
            route default -> menu main
            menu main {
              greeting "company-welcome"
              option 1 -> hangup
            }
            """
            return (folder, plan)
        }

        /// The plan loads (before, every system prompt had to be copied in: `goodbye`,
        /// `invalid`, …), the caller hears the company's greeting from its folder and the
        /// shipped `goodbye` before the BYE, and no prompt fails to play.
        @Test func aPlanWithOnlyItsOwnGreetingLoadsAndPlaysTheShippedGoodbye() throws {
            let (folder, plan) = try Self.ownPrompts()
            defer { try? FileManager.default.removeItem(at: folder) }
            let controller = try ControllerProcess(name: "prompt-layers", plan: plan)
            let rtp = try RTPReceiver()
            defer { rtp.stop() }
            let run = try SIPpRun.run(scenario: "uac-keys-1-by-info-is-hung-up.xml", target: try controller.sipPort,
                                      keys: ["rtpport": String(rtp.port)], pause: 1500)
            #expect(run.exitStatus == 0, "\(run.report)\n--- controller\n\(controller.log)")
            let played = controller.lines(event: "prompt.started").compactMap { ControllerProcess.field("prompt", in: $0) }
            #expect(played.first == "company-welcome" && played.contains("goodbye"), "\(played)")
            #expect(controller.lines(event: "command.failed").isEmpty, "\(controller.log)")
            // What the caller heard: the greeting's audio, then the goodbye's, not silence.
            #expect(rtp.packets.filter { Audio.isVoiced($0) }.count > 50, "\(rtp.packets.count) packets")
            #expect(controller.stop() == 0)
        }

        /// `check --verbose` names the layer and file of every prompt the plan plays.
        @Test func checkVerboseSaysWhichLayerEachPromptComesFrom() throws {
            let (folder, plan) = try Self.ownPrompts()
            defer { try? FileManager.default.removeItem(at: folder) }
            let plans = try Repository.scratchFolder("own-plan")
            defer { try? FileManager.default.removeItem(at: plans) }
            try plan.write(to: plans.appendingPathComponent("main.dialplan"), atomically: true, encoding: .utf8)
            let (status, out, _) = try ReferenceTests.cli(["check", "--verbose", plans.path])
            #expect(status == 0, "\(out)")
            let lines = out.split(separator: "\n").map(String.init)
            #expect(lines.contains("prompt company-welcome: plan \(folder.path)/company-welcome.wav"), "\(out)")
            #expect(lines.contains("prompt goodbye: shipped \(Repository.prompts.path)/goodbye.wav"), "\(out)")
            #expect(!lines.contains { $0.hasSuffix(": missing") }, "\(out)")
        }
    }
}
