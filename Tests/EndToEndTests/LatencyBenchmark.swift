import Foundation
import Testing

extension EndToEnd {
    /// `make bench` only (THROUGHLINE_BENCH=1): key-to-next-prompt and answer-to-media
    /// latency as callers and agents hear it, over 100 calls each. Prints its figures and
    /// writes var/bench/*.json; asserts only that the calls completed, never a time.
    @Suite("Benchmark: latency as callers hear it", .enabled(if: ProcessInfo.processInfo.environment["THROUGHLINE_BENCH"] == "1"), .serialized)
    struct LatencyBenchmark {
        @Test func keyToNextPromptOver100Calls() throws {
            let controller = try ControllerProcess(name: "bench-ivr", plan: TestPlan.trusting("127.0.0.1", TestPlan.menus))
            let batches = 10, perBatch = 10
            let measured = Measurements()
            for _ in 0..<batches {
                let receivers = try (0..<perBatch).map { _ in try RTPReceiver() }
                let csv = Repository.root.appendingPathComponent(".build/bench-ports-\(getpid()).csv")
                try ("SEQUENTIAL\n" + receivers.map { "\($0.port);" }.joined(separator: "\n") + "\n").write(to: csv, atomically: true, encoding: .utf8)
                let callers = try SIPpRun.start(scenario: "uac-listens-on-its-csv-port-then-hangs-up.xml", target: try controller.sipPort,
                                                calls: perBatch, pause: 7000, extra: ["-inf", csv.path, "-l", String(perBatch), "-r", "50"], timeLimit: 60)
                DispatchQueue.concurrentPerform(iterations: perBatch) { i in
                    let rtp = receivers[i]
                    guard rtp.wait(timeout: 10, until: { !$0.isEmpty }), rtp.waitForPromptEnd(),
                          let pressed = try? rtp.pressKey("2"), let heard = rtp.firstVoiced(after: pressed) else { return }
                    measured.add(heard.timeIntervalSince(pressed) * 1000)
                }
                let run = callers.wait()
                receivers.forEach { $0.stop() }
                try? FileManager.default.removeItem(at: csv)
                #expect(run.exitStatus == 0, "\(run.report)")
            }
            #expect(controller.stop() == 0)
            let sorted = measured.values.sorted()
            #expect(sorted.count == batches * perBatch, "only \(sorted.count) calls measured")
            try Self.report(sorted, title: "key-to-next-prompt over %d calls (10 at a time), as the caller hears it",
                            key: "key_to_prompt", file: "ivr-latency.json")
        }
    }
}

extension EndToEnd.LatencyBenchmark {
    /// From the agent's 200 OK (its time in SIPp's message trace) to media flowing both ways
    /// through the bridge (the caller's tone heard at the agent's port and the agent's tone
    /// at the caller's), over 100 calls in turn to a one-member hunt; both sides talk all along.
    @Test func answerToMediaBothWaysOver100Calls() throws {
        let calls = Int(ProcessInfo.processInfo.environment["THROUGHLINE_BENCH_CALLS"] ?? "") ?? 100
        let agentPort = try FreePorts.udpBlock(count: 1)
        let controller = try ControllerProcess(name: "bench-answer", plan: TestPlan.hunt("sequential", ports: ["ann": agentPort], ring: 10))
        let caller = try RTPReceiver(), agent = try RTPReceiver()
        let trace = Repository.root.appendingPathComponent(".build/bench-agent-\(getpid()).log")
        defer { if ProcessInfo.processInfo.environment["THROUGHLINE_BENCH_KEEP"] == nil { try? FileManager.default.removeItem(at: trace) } }
        let agentRun = try SIPpRun.start(scenario: "uas-agent-answers.xml", target: nil, calls: calls, keys: ["rtpport": String(agent.port)],
                                         pause: 300, extra: ["-p", String(agentPort), "-trace_msg", "-message_file", trace.path],
                                         timeLimit: Double(calls) * 3 + 30)
        let callerRun = try SIPpRun.start(scenario: "uac-hears-welcome-then-hangs-up.xml", target: try controller.sipPort, calls: calls,
                                          keys: ["rtpport": String(caller.port)], pause: 1500, extra: ["-l", "1", "-r", "5"],
                                          timeLimit: Double(calls) * 3 + 30)
        let talking = Measurements()
        DispatchQueue.global().async {
            while talking.values.isEmpty {
                guard caller.wait(timeout: 1, until: { !$0.isEmpty }) else { continue }
                try? caller.sendTone(seconds: 0.5)
            }
        }
        DispatchQueue.global().async {
            while talking.values.isEmpty {
                guard agent.wait(timeout: 1, until: { !$0.isEmpty }) else { continue }
                try? agent.sendTone(seconds: 0.5)
            }
        }
        let callersDone = callerRun.wait(), agentsDone = agentRun.wait()
        talking.add(1)
        Thread.sleep(forTimeInterval: 0.6)
        caller.stop()
        agent.stop()
        #expect(callersDone.exitStatus == 0 && agentsDone.exitStatus == 0, "\(callersDone.report)\n\(agentsDone.report)")
        #expect(controller.stop() == 0)
        let answers = try Self.answerTimes(trace)
        var latencies: [Double] = []
        for answered in answers {
            guard let agentHears = agent.packets.first(where: { $0.arrival > answered && Audio.isTestTone($0) })?.arrival,
                  let callerHears = caller.packets.first(where: { $0.arrival > answered && Audio.isTestTone($0) })?.arrival else { continue }
            let both = max(agentHears, callerHears).timeIntervalSince(answered)
            if both < 1.0 { latencies.append(both * 1000) }
        }
        let sorted = latencies.sorted()
        #expect(answers.count == calls && sorted.count >= calls * 9 / 10, "\(answers.count) answers, \(sorted.count) measured")
        try Self.report(sorted, title: "agent 200 OK to media both ways over %d calls", key: "answer_to_media", file: "hunt-answer-to-media.json")
    }

    /// From an agent becoming free (their phone sends BYE to end a queue call; no wrap-up)
    /// to the next waiting caller's INVITE reaching that phone, both on the phone's clock
    /// (SIPp's message trace), over 100 queue calls: 100 callers wait, one agent takes them
    /// in turn, talking 200 ms each.
    @Test func agentFreeToInviteOver100QueueCalls() throws {
        let calls = Int(ProcessInfo.processInfo.environment["THROUGHLINE_BENCH_CALLS"] ?? "") ?? 100
        let agentPort = try FreePorts.udpBlock(count: 1)
        let plan = TestPlan.queue(agents: [.init("ann", port: agentPort, skills: "support=1")],
                                  queues: "queue q {\n  require support>=1\n  wrap-up 0s\n  join-empty yes\n}\n")
        let controller = try ControllerProcess(name: "bench-queue", plan: TestPlan.trusting("127.0.0.1", plan), rtpPorts: 2 * calls + 16)
        let sink = try RTPReceiver()
        defer { sink.stop() }
        let trace = Repository.root.appendingPathComponent(".build/bench-queue-agent-\(getpid()).log")
        defer { if ProcessInfo.processInfo.environment["THROUGHLINE_BENCH_KEEP"] == nil { try? FileManager.default.removeItem(at: trace) } }
        let sip = try controller.sipPort
        let agentRun = try SIPpRun.start(scenario: "uas-agent-answers-then-hangs-up.xml", target: nil, calls: calls,
                                         keys: ["rtpport": String(sink.port), "controller": "127.0.0.1:\(sip)"], pause: 200,
                                         extra: ["-p", String(agentPort), "-trace_msg", "-message_file", trace.path],
                                         timeLimit: Double(calls) + 30)
        let callerRun = try SIPpRun.start(scenario: "uac-stays-until-hung-up.xml", target: sip, calls: calls,
                                          keys: ["rtpport": String(sink.port)], extra: ["-l", String(calls), "-r", "50"],
                                          timeLimit: Double(calls) + 30)
        let callersDone = callerRun.wait(), agentDone = agentRun.wait()
        #expect(callersDone.exitStatus == 0 && agentDone.exitStatus == 0, "\(callersDone.report)\n\(agentDone.report)")
        try Self.reportControllerTime(controller, trigger: "agent_free", title: "agent free (BYE received) to INVITE sent",
                                      file: "queue-agent-free-to-invite-controller.json")
        #expect(controller.stop() == 0)
        let messages = try Self.traceMessages(trace)
        var latencies: [Double] = []
        for (index, message) in messages.enumerated() where message.sent && message.firstLine.hasPrefix("BYE ") {
            guard let invite = messages[(index + 1)...].first(where: { !$0.sent && $0.firstLine.hasPrefix("INVITE ") }) else { continue }
            latencies.append(invite.at.timeIntervalSince(message.at) * 1000)
        }
        let sorted = latencies.sorted()
        #expect(sorted.count >= calls - 1, "\(sorted.count) of \(calls - 1) hand-overs measured")
        try Self.report(sorted, title: "agent free (BYE sent) to next queue INVITE at the phone over %d hand-overs",
                        key: "agent_free_to_invite", file: "queue-agent-free-to-invite.json")
    }

    /// From a caller's key (a SIP INFO choosing the queue in the menu) to the agent's INVITE,
    /// over 100 calls in turn: on the phones' clock (the caller's INFO sent, the INVITE received
    /// by the agent, both in SIPp's message traces), and in controller time (`GET /api/metrics`:
    /// from pjsua handing over the key to the INVITE handed to the transport).
    @Test func keyToAgentInviteOver100QueueCalls() throws {
        let calls = Int(ProcessInfo.processInfo.environment["THROUGHLINE_BENCH_CALLS"] ?? "") ?? 100
        let agentPort = try FreePorts.udpBlock(count: 1)
        let plan = TestPlan.queue(agents: [.init("ann", port: agentPort, skills: "support=1")],
                                  queues: "queue q {\n  require support>=1\n  wrap-up 0s\n}\n",
                                  route: "route default -> menu main\nmenu main {\n  greeting \"welcome\"\n  option 1 -> queue q\n}",
                                  settings: "  repeat-caller-window 0s\n")
        let controller = try ControllerProcess(name: "bench-key-invite", plan: plan, rtpPorts: 2 * calls + 16)
        try Self.keyToInvite(controller, agentPort: agentPort, calls: calls, what: "agent", file: "queue-key-to-invite")
        #expect(controller.stop() == 0)
    }

    /// `calls` callers in turn key 1 (an INFO) to `controller`'s queue, answered by a SIPp
    /// agent on `agentPort`; prints and writes (var/bench/`file`.json and
    /// `file`-controller.json) key → INVITE on the phones' clock and in controller time.
    /// `what` names the agent in the titles. Also used by `ClusterBenchmark`.
    static func keyToInvite(_ controller: ControllerProcess, agentPort: UInt16, calls: Int, what: String, file: String) throws {
        let sink = try RTPReceiver()
        defer { sink.stop() }
        let callerTrace = Repository.root.appendingPathComponent(".build/bench-key-caller-\(getpid()).log")
        let agentTrace = Repository.root.appendingPathComponent(".build/bench-key-agent-\(getpid()).log")
        defer { [callerTrace, agentTrace].forEach { try? FileManager.default.removeItem(at: $0) } }
        let sip = try controller.sipPort
        let agentRun = try SIPpRun.start(scenario: "uas-agent-answers-then-hangs-up.xml", target: nil, calls: calls,
                                         keys: ["rtpport": String(sink.port), "controller": "127.0.0.1:\(sip)"], pause: 100,
                                         extra: ["-p", String(agentPort), "-trace_msg", "-message_file", agentTrace.path],
                                         timeLimit: Double(calls) + 30)
        let callerRun = try SIPpRun.start(scenario: "uac-keys-1-by-info-is-hung-up.xml", target: sip, calls: calls,
                                          keys: ["rtpport": String(sink.port)], pause: 300,
                                          extra: ["-l", "1", "-r", "10", "-trace_msg", "-message_file", callerTrace.path],
                                          timeLimit: Double(calls) + 30)
        let callersDone = callerRun.wait(), agentDone = agentRun.wait()
        #expect(callersDone.exitStatus == 0 && agentDone.exitStatus == 0, "\(callersDone.report)\n\(agentDone.report)")
        try Self.reportControllerTime(controller, trigger: "key", title: "key (INFO received) to \(what) INVITE sent",
                                      file: "\(file)-controller.json")
        // One call at a time (-l 1): the n-th key is answered by the n-th INVITE.
        let keys = try Self.traceMessages(callerTrace).filter { $0.sent && $0.firstLine.hasPrefix("INFO ") }.map(\.at)
        let invites = try Self.traceMessages(agentTrace).filter { !$0.sent && $0.firstLine.hasPrefix("INVITE ") }.map(\.at)
        #expect(keys.count == calls && invites.count == calls, "\(keys.count) keys, \(invites.count) INVITEs of \(calls)")
        let sorted = zip(keys, invites).map { $1.timeIntervalSince($0) * 1000 }.sorted()
        try Self.report(sorted, title: "key (INFO sent) to \(what) INVITE at the phone over %d queue calls",
                        key: "key_to_invite", file: "\(file).json")
    }

    /// Prints and writes the controller's own INVITE latency for `trigger` from
    /// `GET /api/metrics` (µs): count, p50, p99, max.
    static func reportControllerTime(_ controller: ControllerProcess, trigger: String, title: String, file: String) throws {
        let metrics = try Curl.request("GET", "http://\(try controller.httpAddress)/api/metrics", token: try controller.adminToken)
        let figures = try #require((metrics.json?["invite_latency_us"] as? [String: [String: Any]])?[trigger], "\(metrics.body)")
        let count = figures["count"] as? Int ?? 0, p50 = figures["p50"] as? Double ?? 0, p99 = figures["p99"] as? Double ?? 0, max = figures["max"] as? Double ?? 0
        print(String(format: "controller time, %@, over %d INVITEs: p50 %.3f ms, p99 %.3f ms, max %.3f ms", title, count, p50 / 1000, p99 / 1000, max / 1000))
        let folder = Repository.root.appendingPathComponent("var/bench")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let json: [String: Any] = ["invites": count, "\(trigger)_to_invite_us_p50": p50, "\(trigger)_to_invite_us_p99": p99, "\(trigger)_to_invite_us_max": max]
        try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys, .prettyPrinted]).write(to: folder.appendingPathComponent(file))
    }

    /// Screen-pop latency: from the controller deciding the offer (`offered_at_us` in the pop,
    /// wall clock) to the event arriving on the desk's stream, and the pop's arrival relative
    /// to the INVITE reaching the phone, over 100 queue calls in turn.
    @Test func popLatencyOver100QueueCalls() throws {
        let calls = Int(ProcessInfo.processInfo.environment["THROUGHLINE_BENCH_CALLS"] ?? "") ?? 100
        let agentPort = try FreePorts.udpBlock(count: 1)
        let plan = TestPlan.queue(agents: [.init("ann", port: agentPort, skills: "support=1")],
                                  queues: "queue q {\n  require support>=1\n  wrap-up 0s\n}\n", settings: "  repeat-caller-window 0s\n")
        let controller = try ControllerProcess(name: "bench-pop", plan: plan, rtpPorts: 2 * calls + 16)
        let token = try #require(try Curl.request("GET", "http://\(try controller.httpAddress)/api/agents/ann/token", token: try controller.adminToken)
            .json?["token"] as? String)
        let desk = try SSEClient(port: UInt16(try controller.httpAddress.split(separator: ":").last!)!, path: "/api/agents/ann/events?token=\(token)")
        defer { desk.stop() }
        let sink = try RTPReceiver()
        defer { sink.stop() }
        let trace = Repository.root.appendingPathComponent(".build/bench-pop-agent-\(getpid()).log")
        defer { try? FileManager.default.removeItem(at: trace) }
        let agentRun = try SIPpRun.start(scenario: "uas-agent-answers.xml", target: nil, calls: calls, keys: ["rtpport": String(sink.port)],
                                         pause: 50, extra: ["-p", String(agentPort), "-trace_msg", "-message_file", trace.path],
                                         timeLimit: Double(calls) + 30)
        let callerRun = try SIPpRun.start(scenario: "uac-hears-welcome-then-hangs-up.xml", target: try controller.sipPort, calls: calls,
                                          keys: ["rtpport": String(sink.port)], pause: 300, extra: ["-l", "1", "-r", "5"],
                                          timeLimit: Double(calls) + 30)
        let callersDone = callerRun.wait(), agentDone = agentRun.wait()
        #expect(callersDone.exitStatus == 0 && agentDone.exitStatus == 0, "\(callersDone.report)\n\(agentDone.report)")
        #expect(controller.stop() == 0)
        let offers = desk.events.filter { $0.name == "offer" }
        let offerToEvent = offers.compactMap { event -> Double? in
            guard let offered = event.json?["offered_at_us"] as? Int64 else { return nil }
            return event.arrival.timeIntervalSince1970 * 1000 - Double(offered) / 1000
        }.sorted()
        let invites = try Self.traceMessages(trace).filter { !$0.sent && $0.firstLine.hasPrefix("INVITE ") }.map(\.at)
        let popVsInvite = zip(offers, invites).map { $0.arrival.timeIntervalSince($1) * 1000 }.sorted()
        #expect(offerToEvent.count == calls, "\(offerToEvent.count) pops of \(calls)")
        try Self.report(offerToEvent, title: "screen pop, offer to event on the desk stream, over %d calls", key: "offer_to_pop",
                        file: "desk-pop-latency.json")
        try Self.report(popVsInvite, title: "screen pop arrival minus INVITE arrival at the phone (negative: pop first), over %d calls",
                        key: "pop_minus_invite", file: "desk-pop-vs-invite.json")
    }

    /// Prints `title` (with `%d` for the count) and p50, p99 and max of `sorted` (ms), and
    /// writes them to var/bench/`file` as `calls`, `<key>_ms_p50`, `_p99`, `_max`.
    static func report(_ sorted: [Double], title: String, key: String, file: String) throws {
        func p(_ q: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * q))] }
        print(String(format: title + ": p50 %.1f ms, p99 %.1f ms, max %.1f ms", sorted.count, p(0.5), p(0.99), sorted.last ?? 0))
        let folder = Repository.root.appendingPathComponent("var/bench")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let json: [String: Any] = ["calls": sorted.count, "\(key)_ms_p50": p(0.5), "\(key)_ms_p99": p(0.99), "\(key)_ms_max": sorted.last ?? 0]
        try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys, .prettyPrinted]).write(to: folder.appendingPathComponent(file))
    }

    /// Every message in a SIPp `-trace_msg` file, in order: sent or received, its first line,
    /// when, its CSeq and Call-ID header lines' values.
    static func traceMessages(_ trace: URL) throws -> [(sent: Bool, firstLine: String, at: Date, cseq: String, callID: String)] {
        let text = try String(contentsOf: trace, encoding: .utf8)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone.current
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        var messages: [(sent: Bool, firstLine: String, at: Date, cseq: String, callID: String)] = []
        for block in text.components(separatedBy: "----------------------------------------------- ").dropFirst() {
            let lines = block.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
                .map { String(String.UnicodeScalarView($0)).trimmingCharacters(in: .whitespacesAndNewlines) }
            guard lines.count > 3, let first = lines.dropFirst(2).first(where: { !$0.isEmpty }) else { continue }
            let stamp = lines[0]
            guard stamp.count >= 26, let whole = formatter.date(from: String(stamp.prefix(19))), let micros = Double(stamp.dropFirst(20).prefix(6)) else { continue }
            let cseq = lines.first { $0.hasPrefix("CSeq:") } ?? ""
            let callID = lines.first { $0.hasPrefix("Call-ID:") }.map { $0.dropFirst(8).trimmingCharacters(in: .whitespaces) } ?? ""
            messages.append((lines[1].hasPrefix("UDP message sent"), first, whole.addingTimeInterval(micros / 1e6), cseq, callID))
        }
        return messages
    }

    /// When SIPp sent each 200 OK answering an INVITE, in order.
    static func answerTimes(_ trace: URL) throws -> [Date] {
        let text = try String(contentsOf: trace, encoding: .utf8)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone.current
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        var times: [Date] = []
        for block in text.components(separatedBy: "----------------------------------------------- ").dropFirst() {
            // Split on scalars: as Characters, "\r\n" is one grapheme and would not split.
            let lines = block.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
                .map { String(String.UnicodeScalarView($0)).trimmingCharacters(in: .whitespacesAndNewlines) }
            guard lines.count > 3, lines[1].hasPrefix("UDP message sent"),
                  let status = lines.dropFirst(2).first(where: { !$0.isEmpty }), status.hasPrefix("SIP/2.0 200"),
                  lines.contains(where: { $0.hasPrefix("CSeq:") && $0.hasSuffix("INVITE") }) else { continue }
            // "2026-11-22 20:33:42.426003": seconds by the formatter, microseconds by hand.
            let stamp = lines[0]
            guard stamp.count >= 26, let whole = formatter.date(from: String(stamp.prefix(19))), let micros = Double(stamp.dropFirst(20).prefix(6)) else { continue }
            times.append(whole.addingTimeInterval(micros / 1e6))
        }
        return times
    }
}

/// Values added from several threads at once.
final class Measurements: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [Double] = []
    func add(_ value: Double) { lock.withLock { stored.append(value) } }
    var values: [Double] { lock.withLock { stored } }
}
