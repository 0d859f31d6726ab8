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
            try Self.expectNothingLeft(controller)
            let after = LoadBenchmark.usage(pid).rssKiB
            print(String(format: "fuzz: %d mutants in %.1f s (seed %llu), %d answers, %d calls opened and closed; RSS %d → %d KiB",
                         count, Date().timeIntervalSince(started), seed, client.answers, client.callsClosed, before, after))
            try Self.expectACallerIsServed(sip)
            #expect(controller.stop() == 0, "the controller did not stop cleanly after the mutants:\n\(controller.log.suffix(3000))")
        }

        /// pjproject's own SIP torture cases (RFC 4475's valid and invalid messages, and its SDP
        /// and header cases under tests/pjsua/scripts-sendto/), installed by scripts/setup from
        /// Debian's archive (scripts/sip-torture-extract), each sent once over UDP from
        /// 127.0.0.5 with its placeholders filled as pjproject's harness fills them. Each is
        /// answered or dropped; afterwards the controller is up, no call or leg is left, and a
        /// real caller is served. Prints each case's answer beside what pjsua was expected to
        /// answer in pjproject's own run (its options differ: no assertion on that).
        @Test func pjprojectsTortureMessagesAreAnsweredOrDroppedAndLeaveNothing() throws {
            let folder = URL(fileURLWithPath: ProcessInfo.processInfo.environment["THROUGHLINE_SIP_TORTURE"] ?? "/usr/local/share/throughline/sip-torture")
            let manifest = try #require(try? String(contentsOf: folder.appendingPathComponent("manifest"), encoding: .utf8),
                                        "no torture messages in \(folder.path): run scripts/setup")
            let cases = manifest.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }.filter { $0.count >= 2 }
            try #require(cases.count >= 5, "\(cases.count) torture cases in \(folder.path)")
            let controller = try ControllerProcess(name: "torture", plan: TestPlan.trusting("127.0.0.5", TestPlan.basic))
            let sip = try controller.sipPort
            let client = try FuzzClient(host: "127.0.0.5", target: sip)
            defer { client.stop() }
            let before = LoadBenchmark.usage(controller.process.processIdentifier).rssKiB
            var sent: [(name: String, expected: String, callID: String)] = []
            for (n, c) in cases.enumerated() {
                var text = try String(contentsOf: folder.appendingPathComponent(c[0] + ".sip"), encoding: .utf8)
                let callID = "torture-\(n)-\(UInt32.random(in: 0 ... .max))"
                // pjproject's Dialog.update_fields, and its create_invite's branch.
                for (placeholder, value) in [("$TARGET_URI", "sip:127.0.0.1:\(sip)"), ("$LOCAL_IP", "127.0.0.5"), ("$LOCAL_PORT", String(client.port)),
                                             ("$FROM_TAG", ";tag=t\(n)"), ("$TO_TAG", ""), ("$CALL_ID", callID), ("$CSEQ", "1"),
                                             ("$BRANCH", String(UInt32.random(in: 0 ... .max)))] {
                    text = text.replacingOccurrences(of: placeholder, with: value)
                }
                // The RFC 4475 messages carry their own Call-IDs.
                let own = text.split(whereSeparator: \.isNewline).first { $0.lowercased().hasPrefix("call-id:") || $0.lowercased().hasPrefix("i:") }
                    .map { $0[$0.index(after: $0.firstIndex(of: ":")!)...].trimmingCharacters(in: .whitespaces) }
                client.send(Array(text.utf8))
                sent.append((c[0], c[1], own ?? callID))
                usleep(20_000)
            }
            Thread.sleep(forTimeInterval: 2)
            #expect(controller.process.isRunning, "the controller died on a torture message:\n\(controller.log.suffix(3000))")
            var answered = 0
            for s in sent {
                let codes = client.codes(for: s.callID)
                let final = codes.last { $0 >= 200 }
                if !codes.isEmpty { answered += 1 }
                #expect(codes.allSatisfy { (100 ... 699).contains($0) }, "\(s.name): \(codes)")
                print("torture: \(s.name): \(final.map(String.init) ?? (codes.isEmpty ? "dropped" : "\(codes)")) (pjsua with its options: \(s.expected))")
            }
            #expect(answered > sent.count / 2, "only \(answered) of \(sent.count) cases answered")
            try Self.expectNothingLeft(controller)
            print("torture: \(sent.count) cases, \(answered) answered, \(sent.count - answered) dropped (or answered to an address of their own Via); "
                  + "RSS \(before) → \(LoadBenchmark.usage(controller.process.processIdentifier).rssKiB) KiB")
            try Self.expectACallerIsServed(sip)
            #expect(controller.stop() == 0, "the controller did not stop cleanly after the torture messages:\n\(controller.log.suffix(3000))")
        }

        /// Calls the bad messages opened end (their BYEs, or pjsua's own timers, within 40 s);
        /// then no call and no leg is left.
        static func expectNothingLeft(_ controller: ControllerProcess) throws {
            let deadline = Date().addingTimeInterval(40)
            var calls = try Curl.request("GET", "http://\(try controller.httpAddress)/api/calls", token: try controller.adminToken)
            while (calls.json?["calls"] as? [Any])?.isEmpty != true && Date() < deadline {
                Thread.sleep(forTimeInterval: 0.5)
                calls = try Curl.request("GET", "http://\(try controller.httpAddress)/api/calls", token: try controller.adminToken)
            }
            #expect((calls.json?["calls"] as? [Any])?.isEmpty == true && calls.json?["legs"] as? Int == 0, "left behind: \(calls.body)")
        }

        /// A real caller afterwards is answered and hears the welcome prompt.
        static func expectACallerIsServed(_ sip: UInt16) throws {
            let media = try RTPReceiver()
            defer { media.stop() }
            let run = try SIPpRun.run(scenario: "uac-hears-welcome-then-hangs-up.xml", target: sip, keys: ["rtpport": String(media.port)], pause: 1500)
            #expect(run.exitStatus == 0, "\(run.report)")
            #expect(media.packets.count > 20, "the caller afterwards heard \(media.packets.count) packets")
        }
    }
}
