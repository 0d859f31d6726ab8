import Controller
import Foundation
import Testing
import ThroughlineCore

/// The JSON the desks, the webhook and API clients read is a public contract: these tests pin
/// its field names, which fields are `null` and which are absent, and how bad request bodies
/// are refused.
@Suite("Wire bodies: pops, webhook and API JSON")
struct WireBodyTests {
    static func object(_ bytes: [UInt8]) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    static let pop = PopBody(call: "7", sipCallID: "abc@h", agent: "ann", reference: nil, caller: "5551234", dialled: "5551000",
                             route: "default", campaign: nil, path: [PathStepBody(at: "0s", step: "menu main")], waitSeconds: 12.3,
                             queue: "support")

    @Test func anOfferWithoutReferenceWritesNullsForReferenceAndCampaignAndLeavesTheRestOut() throws {
        let json = try Self.object(WireJSON.compact(Self.pop))
        #expect(Set(json.keys) == ["call", "sip_call_id", "agent", "reference", "caller", "dialled", "route", "campaign", "path", "wait_s", "queue"])
        #expect(json["reference"] is NSNull)
        #expect(json["campaign"] is NSNull)
        #expect(json["wait_s"] as? Double == 12.3)
        #expect((json["path"] as? [[String: String]]) == [["at": "0s", "step": "menu main"]])
    }

    @Test func theReferencesPartAddsStatusDepartmentAndJourney() throws {
        var pop = Self.pop.with(ReferenceContextBody(referenceStatus: "open", department: nil, journeyTotal: 3,
                                                     journey: [JourneyEventBody(at: "t", kind: "note", detail: "d", author: nil)]))
        pop.offeredAt = "2026-11-30T00:00:00.000Z"
        pop.offeredAtMicroseconds = 1
        pop.directory = [DirectoryDepartmentBody(department: "support", title: "Support", handles: ["repairs"], agents: ["ann"])]
        let json = try Self.object(WireJSON.compact(pop))
        #expect(json["reference_status"] as? String == "open")
        #expect(json["department"] is NSNull)
        #expect(json["journey_total"] as? Int == 3)
        let event = try #require((json["journey"] as? [[String: Any]])?.first)
        #expect(event["author"] is NSNull)
        #expect(json["offered_at_us"] as? Int == 1)
        #expect((json["directory"] as? [[String: Any]])?.first?["handles"] as? [String] == ["repairs"])
        // And it reads back as it was.
        #expect(try JSONDecoder().decode(PopBody.self, from: Data(WireJSON.compact(pop))) == pop)
    }

    @Test func deskEventsAndAgentsKeepTheirNullFields() throws {
        let ended = try Self.object(WireJSON.compact(LegPopBody(call: "7", reference: nil, code: 200)))
        #expect(ended["reference"] is NSNull && ended["code"] as? Int == 200)
        let answered = try Self.object(WireJSON.compact(LegPopBody(call: "7", reference: "482-103-3712")))
        #expect(Set(answered.keys) == ["call", "reference"])
        let broadcast = try Self.object(WireJSON.compact(BroadcastBody(text: "hi", department: nil, from: "admin", at: "t")))
        #expect(broadcast["department"] is NSNull)
        let agent = try Self.object(WireJSON.document(AgentBody(agent: "ann", name: "Ann", status: "available", reason: nil, state: "idle",
                                                                call: nil, contact: nil, callsTaken: 2, heldBack: false, queues: ["support"])))
        #expect(Set(agent.keys) == ["agent", "name", "status", "reason", "state", "call", "contact", "reachable", "calls_taken", "held_back", "queues", "reason_owed", "engaged_elsewhere"])
        #expect(agent["reachable"] as? Bool == false)
    }

    @Test func badRequestBodiesSayWhatIsWrong() {
        func reason<T: Decodable>(_ type: T.Type, _ text: String) -> String? {
            if case .failure(let f) = WireJSON.decode(type, from: Array(text.utf8)) { return f.reason }
            return nil
        }
        #expect(reason(AgentStatusRequest.self, "{}") == "missing \"status\"")
        #expect(reason(AgentStatusRequest.self, "{\"status\": \"paused\", \"reason\": 5}") == "\"reason\" has the wrong type")
        #expect(reason(TransferRequest.self, "[1]") == "the body must be a JSON object")
        #expect(reason(BroadcastRequest.self, "{\"text\": ") == "the body is not valid JSON")
        #expect(reason(BroadcastRequest.self, "{\"text\": \"hello\"}") == nil)
    }

    @Test func nullableFieldsAreWrittenAsNullAndReadWhenMissing() throws {
        let health = try Self.object(WireJSON.document(HealthBody(status: "ok", version: "1", plan: nil, calls: 0)))
        #expect(Set(health.keys) == ["status", "version", "plan", "calls"] && health["plan"] is NSNull)
        let reload = try WireJSON.decode(ReloadBody.self, from: Array(#"{"reloaded": false, "errors": ["e"], "warnings": []}"#.utf8)).get()
        #expect(reload.plan == nil && reload.errors == ["e"])
        let queue = try Self.object(WireJSON.document(QueueBody(queue: "support", waiting: 0, longestWaitSeconds: 0, staffed: 1, available: 1,
                                                                  answered: 0, abandoned: 0, overflowed: 0, sentOnEmpty: 0,
                                                                  averageAnswerSeconds: nil, averageAbandonSeconds: 2.5)))
        #expect(queue["average_answer_s"] is NSNull && queue["average_abandon_s"] as? Double == 2.5)
    }

    @Test func aRecordKeepsItsFieldNames() throws {
        let record = CallRecordBody(call: "1", sipCallID: "s", reference: nil, from: "a", to: "b", route: "default", campaign: nil, plan: 1,
                                    planHash: "h", arrivedAt: "t0", endedAt: "t1", code: 200, reason: "Normal", outcome: "hung-up", keys: "1",
                                    path: [])
        let json = try Self.object(WireJSON.compact(record))
        #expect(Set(json.keys) == ["call", "sip_call_id", "reference", "from", "to", "route", "campaign", "plan", "plan_hash", "arrived_at",
                                   "ended_at", "code", "reason", "outcome", "keys", "path"])
        #expect(json["reference"] is NSNull && json["campaign"] is NSNull)
    }
}
