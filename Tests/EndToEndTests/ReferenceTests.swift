import Foundation
import Testing

extension EndToEnd {
    /// References over real SIP and a real SQLite file: the header on the agent's INVITE, the
    /// journey read by `throughline ref` and the API, keyed references, repeat callers, and a
    /// `kill -9` in the middle of issuing them.
    @Suite("References in every department")
    struct ReferenceTests {
        typealias Agent = TestPlan.QueueAgent

        /// `throughline ARGS…` to completion: exit status, standard output, standard error.
        static func cli(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
            let process = Process()
            process.executableURL = try Repository.binary
            process.arguments = arguments
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            let outData = out.fileHandleForReading.readDataToEndOfFile(), errData = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
        }

        static func data(_ controller: ControllerProcess) -> String { controller.dataFolder.appendingPathComponent("var").path }

        /// The references of `call.arrived` lines, in order.
        static func references(_ controller: ControllerProcess) -> [String] {
            controller.lines(event: "call.arrived").compactMap { ControllerProcess.field("reference", in: $0) }.filter { !$0.isEmpty }
        }

        /// The reference each SIPp agent call logged ("reference N"), in order.
        static func headerReferences(_ run: SIPpRun) -> [String] {
            run.logs.split(separator: "\n").compactMap { line in
                line.hasPrefix("reference ") ? String(line.dropFirst("reference ".count)) : nil
            }
        }

        @Test func theAgentsInviteCarriesTheReferenceAndEveryDepartmentReadsTheJourneyWithNotesAndResolution() throws {
            let ports = try HuntTests.agentPorts(["ann"])
            let plan = TestPlan.queue(agents: [Agent("ann", port: ports["ann"]!, skills: "support=5")],
                                      queues: "department support {\n  title \"Support\"\n}\nqueue q {\n  department support\n  require support>=1\n}\n")
            let controller = try ControllerProcess(name: "ref-journey", plan: plan)
            let media = try RTPReceiver()
            defer { media.stop() }
            let ann = try SIPpRun.agent("uas-agent-answers.xml", port: ports["ann"]!, keys: ["rtpport": String(media.port)])
            let caller = try SIPpRun.run(scenario: "uac-hears-welcome-then-hangs-up.xml", target: try controller.sipPort,
                                         keys: ["rtpport": String(media.port)], pause: 2000)
            let annRun = ann.wait()
            #expect(caller.exitStatus == 0 && annRun.exitStatus == 0, "\(caller.report)\n\(annRun.report)\n\(controller.log)")
            let reference = try #require(Self.references(controller).first, "\(controller.log)")
            #expect(Self.headerReferences(annRun) == [reference], "ann's INVITE: \(annRun.logs)")
            _ = controller.waitForLine(event: "call.ended", timeout: 10)

            // Any department reads it while the controller runs: the CLI and the API.
            let shown = try Self.cli(["ref", "show", reference, "--data", Self.data(controller)])
            #expect(shown.status == 0, "\(shown.err)")
            for expected in ["reference \(reference)  open", "caller      5551234", "department  support", "last agent  ann",
                             "joined queue q", "queue q: answered by ann", "ended"] {
                #expect(shown.out.contains(expected), "'\(expected)' missing from:\n\(shown.out)")
            }
            let base = "http://\(try controller.httpAddress)/api"
            let admin = try controller.adminToken
            let annToken = try #require(try Curl.request("GET", "\(base)/agents/ann/token", token: admin).json?["token"] as? String)
            let noted = try Curl.request("POST", "\(base)/references/\(reference)/notes", token: annToken, body: #"{"text":"promised a replacement arm"}"#)
            #expect(noted.status == 200, "\(noted.body)")
            #expect(try Curl.request("POST", "\(base)/references/\(reference)/notes", token: "not-a-token", body: #"{"text":"x"}"#).status == 401)
            #expect(try Curl.request("POST", "\(base)/references/\(reference)/resolve", token: admin, body: #"{"note":"arm shipped"}"#).status == 200)
            #expect(try Curl.request("POST", "\(base)/references/\(reference)/resolve", token: admin).status == 409)
            // A mistyped reference is refused before any lookup; an unissued one is 404.
            let digits = reference.filter(\.isNumber)
            let swapped = String(digits.prefix(3)) + String(digits.dropFirst(4).prefix(1)) + String(digits.dropFirst(3).prefix(1)) + String(digits.dropFirst(5))
            if swapped != digits {
                let bad = try Curl.request("GET", "\(base)/references/\(swapped)", token: admin)
                #expect(bad.status == 400 && bad.body.contains("check digit"), "\(bad.body)")
            }
            let json = try Curl.request("GET", "\(base)/references/\(reference)", token: annToken)
            #expect(json.json?["status"] as? String == "resolved", "\(json.body)")
            let after = try Self.cli(["ref", "show", reference, "--data", Self.data(controller)])
            #expect(after.out.contains("reference \(reference)  resolved"), "\(after.out)")
            #expect(after.out.contains("note       ann: promised a replacement arm"), "\(after.out)")
            #expect(after.out.contains("resolved   admin: arm shipped"), "\(after.out)")
            let found = try Self.cli(["ref", "find", "--caller", "5551234", "--data", Self.data(controller)])
            #expect(found.status == 0 && found.out.hasPrefix(reference), "\(found.out + found.err)")
            #expect(try Self.cli(["ref", "show", "000-000-0000", "--data", Self.data(controller)]).status == 1)
            try HuntTests.expectIdle(controller)
        }

        /// Billing's queue on 5553000 (bo answers it) and a menu where 9 asks for a
        /// reference: a first call makes billing own a reference, a second keys it.
        static func keyedReferencePlan(boPort: UInt16) -> String {
            TestPlan.queue(
                agents: [Agent("bo", port: boPort, skills: "billing=5")],
                queues: """
                department billing {
                  title "Billing"
                }
                queue billing {
                  department billing
                  require billing>=1
                  wrap-up 0s
                }
                menu main {
                  greeting "welcome"
                  timeout 20s
                  option 9 -> reference
                  on-failure -> hangup
                }
                """,
                route: "route \"5553000\" -> queue billing\nroute default -> menu main",
                settings: "  repeat-caller-window 0s\n")
        }

        @Test func aKeyedReferenceReachesItsDepartmentAndAMistypedOneIsRefusedBeforeLookup() throws {
            let ports = try HuntTests.agentPorts(["bo"])
            let plan = Self.keyedReferencePlan(boPort: ports["bo"]!)
            let controller = try ControllerProcess(name: "ref-keyed", plan: plan)
            let sip = try controller.sipPort
            let sink = try RTPReceiver()
            defer { sink.stop() }
            let bo = try SIPpRun.agent("uas-agent-answers-then-hangs-up.xml", port: ports["bo"]!, calls: 2,
                                       keys: ["rtpport": String(sink.port), "controller": "127.0.0.1:\(sip)"], pause: 1000)
            // First call: billing takes it, and owns its reference from then on.
            let first = try SIPpRun.run(scenario: "uac-stays-until-hung-up.xml", target: sip, service: "5553000", keys: ["rtpport": String(sink.port)])
            #expect(first.exitStatus == 0, "\(first.report)\n\(controller.log)")
            let reference = try #require(Self.references(controller).first)
            let digits = reference.filter(\.isNumber)

            // Second call: key 9, then the reference with its last digit wrong, then right.
            let rtp = try RTPReceiver()
            defer { rtp.stop() }
            let second = try SIPpRun.start(scenario: "uac-stays-until-hung-up.xml", target: sip, keys: ["rtpport": String(rtp.port)], timeLimit: 60)
            try #require(rtp.wait(timeout: 10) { !$0.isEmpty }, "no RTP reached the caller")
            func keyIn(_ keys: String) throws {
                for key in keys {
                    _ = try rtp.pressKey(key)
                    Thread.sleep(forTimeInterval: 0.15)
                }
            }
            try keyIn("9")
            try #require(controller.waitForLine(event: "prompt.started", timeout: 5) { $0.contains("prompt=enter-reference") } != nil, "\(controller.log)")
            let wrongLast = (Int(String(digits.last!))! + 1) % 10
            try keyIn(String(digits.dropLast()) + String(wrongLast) + "#")
            try #require(controller.waitForLine(event: "prompt.started", timeout: 5) { $0.contains("prompt=reference-invalid") } != nil, "\(controller.log)")
            #expect(controller.lines(event: "reference.keyed").isEmpty, "a mistyped reference reached the store")
            // The caller is asked again (keys during "not valid" are not taken).
            let asked = Date().addingTimeInterval(10)
            while controller.lines(event: "prompt.started").filter({ $0.contains("prompt=enter-reference") }).count < 2 && Date() < asked { usleep(20_000) }
            Thread.sleep(forTimeInterval: 0.3)
            try keyIn(digits + "#")
            try #require(controller.waitForLine(event: "reference.keyed", timeout: 5) != nil, "\(controller.log)")
            let run = second.wait(), boRun = bo.wait()
            #expect(run.exitStatus == 0, "\(run.report)\n\(controller.log)")
            #expect(boRun.exitStatus == 0, "\(boRun.report)")
            // Both of bo's calls carried the one reference; the second call's record says how.
            #expect(Self.headerReferences(boRun) == [reference, reference], "\(boRun.logs)")
            let keyed = try #require(controller.lines(event: "reference.keyed").first)
            #expect(keyed.contains("found=yes") && keyed.contains("department=billing") && keyed.contains("reference=\(reference)"), "\(keyed)")
            let records = try QueueTests.records(controller, count: 2)
            let steps = QueueTests.steps(try #require(records.last))
            #expect(steps.contains { $0.contains("refused before lookup: the check digit does not match") }, "\(steps)")
            #expect(steps.contains("reference \(reference) found: going to queue billing"), "\(steps)")
            #expect((records.last?["outcome"] as? String)?.hasPrefix("queue billing: answered by bo") == true)
            #expect(records.last?["reference"] as? String == reference)
            let shown = try Self.cli(["ref", "show", reference, "--data", Self.data(controller)])
            #expect(shown.out.contains("attached") && shown.out.contains("keyed it"), "\(shown.out)")
            try HuntTests.expectIdle(controller)
        }

        @Test func aRepeatCallerIsRecognisedAndOfferedToTheirLastAgentFirst() throws {
            let ports = try HuntTests.agentPorts(["ann", "ben"])
            let plan = TestPlan.queue(
                agents: [Agent("ann", port: ports["ann"]!, skills: "support=5"), Agent("ben", port: ports["ben"]!, skills: "support=5")],
                queues: "department support {\n  title \"Support\"\n}\nqueue q {\n  department support\n  require support>=1\n  wrap-up 0s\n}\n",
                settings: "  last-agent-first 10s\n")
            let controller = try ControllerProcess(name: "ref-repeat", plan: plan)
            let sip = try controller.sipPort
            let sink = try RTPReceiver()
            defer { sink.stop() }
            let ann = try SIPpRun.agent("uas-agent-answers-then-hangs-up.xml", port: ports["ann"]!, calls: 2,
                                        keys: ["rtpport": String(sink.port), "controller": "127.0.0.1:\(sip)"], pause: 800)
            let ben = try SIPpRun.agent("uas-agent-answers-then-hangs-up.xml", port: ports["ben"]!,
                                        keys: ["rtpport": String(sink.port), "controller": "127.0.0.1:\(sip)"], pause: 800, timeLimit: 20)
            let first = try SIPpRun.run(scenario: "uac-stays-until-hung-up.xml", target: sip, keys: ["rtpport": String(sink.port)])
            #expect(first.exitStatus == 0, "\(first.report)")
            // ann just finished: ben has been idle longer and would get a new caller. The same
            // number calling again is a repeat caller, and goes back to ann.
            let second = try SIPpRun.run(scenario: "uac-stays-until-hung-up.xml", target: sip, keys: ["rtpport": String(sink.port)])
            #expect(second.exitStatus == 0, "\(second.report)\n\(controller.log)")
            let annRun = ann.wait()
            _ = ben.stop()
            #expect(annRun.exitStatus == 0, "\(annRun.report)\n\(controller.log)")
            let references = Self.references(controller)
            #expect(references.count == 2 && references[0] == references[1], "\(references)")
            let repeatLine = try #require(controller.lines(event: "reference.repeat").first, "\(controller.log)")
            #expect(repeatLine.contains("department=support") && repeatLine.contains("last_agent=ann"), "\(repeatLine)")
            #expect(QueueTests.dialled(controller, member: "ben") == 0, "\(controller.log)")
            let outcomes = try QueueTests.records(controller, count: 2).compactMap { $0["outcome"] as? String }
            #expect(outcomes.count == 2 && outcomes.allSatisfy { $0.hasPrefix("queue q: answered by ann") }, "\(outcomes)")
            let shown = try Self.cli(["ref", "show", references[0], "--data", Self.data(controller)])
            #expect(shown.out.contains("repeat     support"), "\(shown.out)")
            #expect(shown.out.contains("joined queue q, offered to ann first"), "\(shown.out)")
            try HuntTests.expectIdle(controller)
        }

        @Test func referencesIssuedUnderLoadSurviveKill9AndNoNumberIsIssuedTwice() throws {
            let plan = TestPlan.basic.replacingOccurrences(of: "settings {\n", with: "settings {\n  repeat-caller-window 0s\n")
            let controller = try ControllerProcess(name: "ref-crash", plan: plan, rtpPorts: 128)
            let sink = try RTPReceiver()
            defer { sink.stop() }
            // 60 calls at 30 a second, each up for 1.5 s; the controller is killed mid-way.
            let callers = try SIPpRun.start(scenario: "uac-hears-welcome-then-hangs-up.xml", target: try controller.sipPort, calls: 60,
                                            keys: ["rtpport": String(sink.port)], pause: 1500, extra: ["-r", "30"], timeLimit: 20)
            let deadline = Date().addingTimeInterval(10)
            while (Self.references(controller).count < 30 || controller.lines(event: "call.ended").count < 5) && Date() < deadline { usleep(5_000) }
            controller.signal(SIGKILL)
            _ = controller.waitForExit(timeout: 5)
            _ = callers.stop()
            let before = Self.references(controller)
            let endedBefore = Set(controller.lines(event: "call.ended").compactMap { ControllerProcess.field("reference", in: $0) })
            #expect(before.count >= 30, "only \(before.count) calls arrived before the kill")

            // The same data folder, a new process: every reference is there with its journey.
            let restarted = try ControllerProcess(name: "ref-crash-2", plan: plan, reusing: controller.dataFolder)
            let more = try SIPpRun.run(scenario: "uac-hears-welcome-then-hangs-up.xml", target: try restarted.sipPort, calls: 20,
                                       keys: ["rtpport": String(sink.port)], pause: 300, extra: ["-r", "20"], timeLimit: 20)
            #expect(more.exitStatus == 0, "\(more.report)")
            let after = Self.references(restarted)
            let all = before + after
            #expect(Set(all).count == all.count, "a reference was issued twice: \(all.count) issued, \(Set(all).count) distinct")
            let data = Self.data(controller)
            for reference in before {
                let shown = try Self.cli(["ref", "show", reference, "--data", data])
                #expect(shown.status == 0 && shown.out.contains("call       from 5551234 to 5551000"), "\(reference): \(shown.out)\(shown.err)")
                if endedBefore.contains(reference) {
                    #expect(shown.out.contains("ended"), "\(reference) ended before the kill but its journey lost it:\n\(shown.out)")
                }
            }
            let listed = try Self.cli(["ref", "find", "--caller", "5551234", "--data", data])
            let listedReferences = listed.out.split(separator: "\n").map { String($0.prefix(12)) }
            #expect(Set(listedReferences) == Set(all), "the store lists \(listedReferences.count), the logs \(all.count)")
            print("kill -9 after \(before.count) references (\(endedBefore.count) calls ended); \(after.count) more after restart; all \(all.count) intact and distinct")
            _ = restarted.stop()
        }
    }
}
