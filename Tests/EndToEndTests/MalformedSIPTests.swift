import Foundation
import Testing

extension EndToEnd {
    /// Malformed SIP from the network (RFC 3261 §16.3 and §21.4.1 say what a server answers;
    /// dropping garbage that cannot be answered is allowed): mutants of valid requests, sent
    /// from 127.0.0.4 over UDP, never take the controller down, leave nothing behind, and the
    /// next real caller is served.
    @Suite("Malformed SIP: a mutation fuzzer", .serialized)
    struct MalformedSIPTests {
        /// 2,000 mutants in `make test` (THROUGHLINE_FUZZ_COUNT sets it; `make bench` sends
        /// 10,000), about 1,000 a second, seeded (THROUGHLINE_FUZZ_SEED replays a run). A 200
        /// to a mutant INVITE is answered with ACK and BYE, as a caller's phone would, so no
        /// call waits 32 s for its ACK. Afterwards: the process is up, no call or leg is left,
        /// and a real caller hears the welcome prompt. Prints the mutants sent, the answers
        /// and the resident memory before and after.
        @Test func mutantsOfValidRequestsLeaveTheControllerUpAndServing() throws {
            let environment = ProcessInfo.processInfo.environment
            let count = Int(environment["THROUGHLINE_FUZZ_COUNT"] ?? "") ?? 2_000
            let seed = UInt64(environment["THROUGHLINE_FUZZ_SEED"] ?? "") ?? 20_261_130
            let controller = try ControllerProcess(name: "fuzz", plan: TestPlan.trusting("127.0.0.4", TestPlan.basic))
            let pid = controller.process.processIdentifier
            let sip = try controller.sipPort
            let client = try FuzzClient(host: "127.0.0.4", target: sip)
            defer { client.stop() }
            let before = LoadBenchmark.usage(pid).rssKiB
            var mutator = SIPMutator(seed: seed, target: "127.0.0.1:\(sip)")
            let started = Date()
            for n in 0..<count {
                client.send(mutator.next(source: "127.0.0.4:\(client.port)"))
                if n % 10 == 9 { usleep(10_000) }  // about 1,000 a second
                guard n % 500 != 499 || controller.process.isRunning else { break }
            }
            #expect(controller.process.isRunning, "the controller died after the mutants (seed \(seed)):\n\(controller.log.suffix(3000))")
            // Calls the mutants opened end (their BYEs, or pjsua's own timers); then nothing is left.
            let deadline = Date().addingTimeInterval(40)
            var calls = try Curl.request("GET", "http://\(try controller.httpAddress)/api/calls", token: try controller.adminToken)
            while (calls.json?["calls"] as? [Any])?.isEmpty != true && Date() < deadline {
                Thread.sleep(forTimeInterval: 0.5)
                calls = try Curl.request("GET", "http://\(try controller.httpAddress)/api/calls", token: try controller.adminToken)
            }
            #expect((calls.json?["calls"] as? [Any])?.isEmpty == true && calls.json?["legs"] as? Int == 0, "left behind: \(calls.body)")
            let after = LoadBenchmark.usage(pid).rssKiB
            print(String(format: "fuzz: %d mutants in %.1f s (seed %llu), %d answers, %d calls opened and closed; RSS %d → %d KiB",
                         count, Date().timeIntervalSince(started), seed, client.answers, client.callsClosed, before, after))
            // A real caller is served.
            let media = try RTPReceiver()
            defer { media.stop() }
            let run = try SIPpRun.run(scenario: "uac-hears-welcome-then-hangs-up.xml", target: sip, keys: ["rtpport": String(media.port)], pause: 1500)
            #expect(run.exitStatus == 0, "\(run.report)")
            #expect(media.packets.count > 20, "the caller after the mutants heard \(media.packets.count) packets")
            #expect(controller.stop() == 0, "the controller did not stop cleanly after the mutants:\n\(controller.log.suffix(3000))")
        }
    }
}
