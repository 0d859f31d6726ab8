import TestSupport
import Testing
import ThroughlineCore

/// Whole calls through the pure `Switchboard`: no SIP, no store, no clock but the test's.
/// Each test feeds inputs as the adapter and the shell would and asserts the effects in the
/// order the shell would perform them (telephony, pops, journey, holders, records), like
/// `QueueRouterTests` do for the queue engine alone.
@Suite("Switchboard: whole calls with fake time")
struct SwitchboardTests {
    static let plan = TestPlans.salesAndBilling + """

    route "5552000" -> hunt ops
    hunt ops {
      mode sequential
      ring 4s
      members cal, dee
      on-no-answer -> queue sales
    }
    agent cal {
      contact "sip:cal@127.0.0.1:6003"
    }
    agent dee {
      contact "sip:dee@127.0.0.1:6004"
    }
    """

    static let caller = CallHandle(1)
    static let reference = try! ReferenceNumber(parsing: "482-103-3712")

    /// A switchboard on `plan` whose clock the test moves.
    struct Harness {
        var board: Switchboard
        var now: Duration = .seconds(100)

        init(plan: String = SwitchboardTests.plan, pops: Bool = true) {
            board = Switchboard(plan: TestPlans.loaded(plan), at: now)
            board.wantsPops = pops
            board.ownAddress = "127.0.0.1:5060"
            _ = board.handle(.started, at: now)
        }

        /// Feeds one input after `after`; returns its effects as short lines (see `line`).
        mutating func feed(_ input: SwitchboardInput, after: Duration = .zero) -> [String] {
            now += after
            return board.handle(input, at: now).compactMap(SwitchboardTests.line)
        }

        mutating func arrive(_ handle: CallHandle = SwitchboardTests.caller, dialled: String = "5551000",
                             touch: ReferenceTouch = .issued(SwitchboardTests.reference)) -> [String] {
            feed(.callArrived(IncomingCall(handle: handle, sipCallID: "cid-\(handle)", caller: "5551234", dialled: dialled,
                                           remoteURI: "<sip:5551234@127.0.0.1>"), touch))
        }
    }

    /// An effect as a short line; log lines and wallboard updates are left out (they have
    /// their own tests), except where a test asks for them.
    static func line(_ effect: SwitchboardEffect) -> String? {
        switch effect {
        case .telephony(let command, _):
            switch command {
            case .answer(let h, let code): "answer \(h) \(code)"
            case .play(let h, let prompts, let playback, let loop):
                "play \(name(h)) \(prompts.map { $0.split(separator: "/").last!.replacingOccurrences(of: ".wav", with: "") }.joined(separator: "+"))\(loop ? " loop" : "") #\(playback.sequence)"
            case .stopPlayback(let h, let playback): "stop \(name(h)) #\(playback.sequence)"
            case .hangup(let h, let code): "hangup \(name(h)) \(code)"
            case .bridge(let a, let b): "bridge \(name(a)) \(name(b))"
            case .dial(let h, _, _, _, _): "dial \(name(h))"
            }
        case .dial(let dial):
            "dial \(name(dial.handle)) \(dial.member)"
        case .offered(let member, let pop): "pop \(member) ref \(pop.reference ?? "none")"
        case .answeredByAgent(let member, _, _, _): "answered-pop \(member)"
        case .legGone(let member, _, _, let code, _): "gone-pop \(member) \(code)"
        case .journey(let entry): "journey \(entry.kind.rawValue): \(entry.detail)"
        case .setHolder(_, let department, let agent): "holder \(department ?? "none") \(agent ?? "none")"
        case .lookUpReference(_, let reference): "look up \(reference)"
        case .chargeRepeat(let reference, let department, _): "repeat \(reference) \(department ?? "none")"
        case .callFinished(let call): "finished \(call.outcome)"
        case .reply(let reply): "reply \(reply)"
        case .sourceBlock(let block, let active): "\(active ? "block" : "unblock") \(block.source)"
        case .floodShedding(let shed, let active): "\(active ? "shed" : "unshed") \(shed.source)"
        case .callbackSaved(let c): "saved callback \(c.id) \(c.number) attempts \(c.attempts)\(c.retryAt == nil ? "" : " retry")"
        case .callbackPlaced(let c): "placed callback \(c.id)"
        case .callbackEnded(let c, let end): "ended callback \(c.id) \(end.rawValue)"
        case .log, .callShown, .callGone, .agentShown, .agentsRemaining, .queueTally, .record: nil
        }
    }

    /// Leg handles as the leg table hands them out: `leg0` is the first INVITE, and so on.
    static func name(_ handle: CallHandle) -> String {
        if PendingCallback.isCallback(handle) { return "cb\(handle.rawValue - PendingCallback.firstHandle)" }
        return handle.rawValue >= LegTable.firstHandle ? "leg\(handle.rawValue - LegTable.firstHandle)" : "\(handle)"
    }

    static func leg(_ n: UInt64) -> CallHandle { CallHandle(LegTable.firstHandle + n) }

    @Test func menuKeyQueueOfferAnswerDeskTransferToBillingAndTheEnd() {
        var h = Harness()
        #expect(h.arrive() == ["answer 1 200"])
        #expect(h.feed(.telephony(.mediaActive(Self.caller)))
            == ["journey menu: menu main", "play 1 main-greeting #0"])
        // Key 1: ann's INVITE leads everything else the key produced; her pop follows it, and
        // both go before the greeting stops and "please hold" starts.
        #expect(h.feed(.telephony(.digitReceived(Self.caller, DTMFDigit("1")!, .rfc4733)), after: .seconds(2)) == [
            "dial leg0 ann",
            "journey menu: keyed 1 -> queue sales",
            "journey queue: joined queue sales",
            "pop ann ref 482-103-3712",
            "stop 1 #0",
            "play 1 please-hold #1000000",
        ])
        // ann answers at once: "please hold" stops; sales and ann now hold the reference.
        #expect(h.feed(.telephony(.callAnswered(Self.leg(0)))) == [
            "answered-pop ann",
            "journey queue: queue sales: answered by ann after 0.0s",
            "holder sales ann",
            "stop 1 #1000000",
        ])
        // The bridge waits for ann's media.
        #expect(h.feed(.telephony(.mediaActive(Self.leg(0)))) == ["bridge 1 leg0"])
        // ann's desk sends the caller to billing: her leg ends, then bea's phone rings, both
        // ahead of the rest.
        #expect(h.feed(.deskTransfer(call: "1", department: "billing"), after: .seconds(30)) == [
            "hangup leg0 487",
            "dial leg1 bea",
            "journey transfer: ann transfers the caller to department billing (desk)",
            "journey queue: joined queue billing",
            // The desk hears "done" once the caller is in billing; the queue engine then offers.
            "reply deskTransfer(refused: nil)",
            "pop bea ref 482-103-3712",
            "play 1 please-hold #1000001",
        ])
        #expect(h.feed(.telephony(.callEnded(Self.leg(0), code: 200, reason: "Normal"))) == ["gone-pop ann 200"])
        #expect(h.feed(.telephony(.callAnswered(Self.leg(1)))).suffix(2) == ["holder billing bea", "stop 1 #1000001"])
        #expect(h.feed(.telephony(.mediaActive(Self.leg(1)))) == ["bridge 1 leg1"])
        #expect(h.feed(.telephony(.callEnded(Self.caller, code: 200, reason: "Normal")), after: .seconds(60)) == [
            "hangup leg1 487",
            "journey ended: queue billing: answered by bea after 0.0s (SIP 200)",
            "finished queue billing: answered by bea after 0.0s",
        ])
        #expect(h.feed(.telephony(.callEnded(Self.leg(1), code: 200, reason: "Normal"))) == ["gone-pop bea 200"])
        #expect(h.board.activeCalls == 0 && h.board.activeLegs == 0)
    }

    @Test func aKeyedOpenReferenceIsARepeatChargedToItsHolderAndOfferedToItsOwnerFirst() {
        // billing holds the reference by a hand-off owned by bob; bea has been idle as long
        // (plan order would pick her), but the caller keying it is offered to bob first.
        var h = Harness(plan: TestPlans.salesAndBilling + """

        route "5553000" -> reference
        agent bob {
          contact "sip:bob@127.0.0.1:6005"
          skills billing=3
          departments billing
        }
        """)
        _ = h.arrive(dialled: "5553000", touch: .none)
        _ = h.feed(.telephony(.mediaActive(Self.caller)))
        var last: [String] = []
        for key in "4821033712#" { last = h.feed(.telephony(.digitReceived(Self.caller, DTMFDigit(key)!, .rfc4733)), after: .milliseconds(300)) }
        #expect(last.contains("look up 482-103-3712"), "\(last)")
        let found = LookedUpReference(department: "billing", lastAgent: "bob", isOpen: true)
        let routed = h.feed(.referenceLookedUp(Self.caller, Self.reference, found: found))
        #expect(routed.first == "dial leg0 bob", "\(routed)")
        #expect(routed.contains("repeat 482-103-3712 billing"), "\(routed)")
        #expect(routed.contains("journey queue: joined queue billing, offered to bob first"), "\(routed)")
        // A resolved reference keyed again is no repeat: the department's queue as usual.
        var again = Harness(plan: TestPlans.salesAndBilling + "\nroute \"5553000\" -> reference\n")
        _ = again.arrive(dialled: "5553000", touch: .none)
        _ = again.feed(.telephony(.mediaActive(Self.caller)))
        for key in "4821033712#" { _ = again.feed(.telephony(.digitReceived(Self.caller, DTMFDigit(key)!, .rfc4733)), after: .milliseconds(300)) }
        let closed = again.feed(.referenceLookedUp(Self.caller, Self.reference, found: LookedUpReference(department: "billing", lastAgent: "bea")))
        #expect(!closed.contains { $0.hasPrefix("repeat ") } && closed.contains("journey queue: joined queue billing"), "\(closed)")
    }

    @Test func aQueueCallIsRecordedJoinedConnectedAndCompletedWithItsWaitAndTalk() {
        var h = Harness()
        var records: [QueueRecord] = []
        func feed(_ input: SwitchboardInput, after: Duration = .zero) {
            h.now += after
            for effect in h.board.handle(input, at: h.now) { if case .record(let r) = effect { records.append(r) } }
        }
        _ = h.arrive()
        feed(.telephony(.mediaActive(Self.caller)))
        feed(.telephony(.digitReceived(Self.caller, DTMFDigit("1")!, .rfc4733)), after: .seconds(2))
        feed(.telephony(.callAnswered(Self.leg(0))), after: .seconds(25))
        feed(.telephony(.mediaActive(Self.leg(0))))
        feed(.telephony(.callEnded(Self.caller, code: 200, reason: "Normal")), after: .seconds(90))
        #expect(records.map(\.event) == [.enterQueue, .connect, .completeCaller])
        #expect(records.allSatisfy { $0.callID == "482-103-3712" && $0.queue == "sales" && $0.department == "sales" && $0.caller == "5551234" })
        #expect(records[1].agent == "ann" && records[1].wait == .seconds(25) && !records[1].withinServiceLevel)  // 25 s > 20 s
        #expect(records[2].wait == .seconds(25) && records[2].talk == .seconds(90) && records[0].position == 1)
        // A caller who hangs up while waiting is an abandon, short within 5 s.
        records.removeAll()
        h = Harness()
        _ = h.arrive()
        feed(.telephony(.mediaActive(Self.caller)))
        feed(.telephony(.digitReceived(Self.caller, DTMFDigit("1")!, .rfc4733)), after: .seconds(2))
        feed(.telephony(.callEnded(Self.caller, code: 200, reason: "Normal")), after: .seconds(4))
        #expect(records.map(\.event) == [.enterQueue, .abandon] && records[1].shortAbandon && records[1].wait == .seconds(4))
        // ann's phone rings the queue's 15 s out: RINGNOANSWER with how long it rang.
        records.removeAll()
        h = Harness()
        _ = h.arrive()
        feed(.telephony(.mediaActive(Self.caller)))
        feed(.telephony(.digitReceived(Self.caller, DTMFDigit("1")!, .rfc4733)), after: .seconds(2))
        feed(.timersDue, after: .seconds(15))
        let rang = records.first { $0.event == .ringNoAnswer }
        #expect(rang?.agent == "ann" && rang?.wait == .seconds(15) && rang?.queue == "sales", "\(records)")
        #expect(rang?.queueLogLine(epochSeconds: 7) == "7|482-103-3712|sales|ann|RINGNOANSWER|15000")
    }

    @Test func aHuntSkipsABusyMemberRingsTheNextAndBridgesOnAnswer() {
        var h = Harness(pops: false)
        #expect(h.arrive(dialled: "5552000") == ["answer 1 200"])
        // Media up: the hunt starts; cal's INVITE leaves before the caller's ringback starts.
        #expect(h.feed(.telephony(.mediaActive(Self.caller))) == ["dial leg0 cal", "play 1 ringback loop #1000000"])
        // cal is busy: dee rings at once.
        #expect(h.feed(.telephony(.callEnded(Self.leg(0), code: 486, reason: "Busy Here")), after: .seconds(1)) == ["dial leg1 dee"])
        #expect(h.feed(.telephony(.callProgress(Self.leg(1), code: 180))).isEmpty)
        // dee answers: ringback stops; the bridge waits for dee's media.
        #expect(h.feed(.telephony(.callAnswered(Self.leg(1))), after: .seconds(2)) == [
            "journey hunt: answered by dee", "holder none dee", "stop 1 #1000000",
        ])
        #expect(h.feed(.telephony(.mediaActive(Self.leg(1)))) == ["bridge 1 leg1"])
        // dee hangs up: the caller's call ends with the hunt's outcome.
        #expect(h.feed(.telephony(.callEnded(Self.leg(1), code: 200, reason: "Normal")), after: .seconds(10)) == ["hangup 1 200"])
        #expect(h.feed(.telephony(.callEnded(Self.caller, code: 200, reason: "Normal"))) == [
            "journey ended: answered by dee (SIP 200)", "finished answered by dee",
        ])
        #expect(h.board.activeCalls == 0 && h.board.activeLegs == 0)
    }

    @Test func anAgentsREFERMovesTheCallerToAQueueAndTheReferredCallEndsWithTheAgentsLeg() {
        var h = Harness(pops: false)
        _ = h.arrive(dialled: "5552000")
        _ = h.feed(.telephony(.mediaActive(Self.caller)))
        _ = h.feed(.telephony(.callAnswered(Self.leg(0))))
        _ = h.feed(.telephony(.mediaActive(Self.leg(0))))
        // cal asks to transfer the caller to "billing" (REFER); pjsua places the referred call.
        #expect(h.feed(.telephony(.transferRequested(Self.leg(0), target: "billing"))) == [
            "journey transfer: cal transfers the caller to billing",
        ])
        let referred = CallHandle(2)
        let effects = h.feed(.telephony(.callArrived(IncomingCall(handle: referred, sipCallID: "cid-ref", caller: "", dialled: "billing",
                                                                  remoteURI: "<sip:127.0.0.1:5060>"))), after: .milliseconds(50))
        #expect(effects == [
            "dial leg1 bea",
            "answer 2 200",
            "journey transfer: transferred by cal to queue billing",
            "journey queue: joined queue billing",
            "play 1 please-hold #1000001",
        ])
        // cal hangs up after the NOTIFY: the referred call is hung up with her leg.
        #expect(h.feed(.telephony(.callEnded(Self.leg(0), code: 200, reason: "Normal"))) == ["hangup 2 200"])
        #expect(h.feed(.telephony(.callEnded(referred, code: 200, reason: "Normal"))).isEmpty)
        // A second referred call to the same name, with no REFER pending, is refused.
        #expect(h.feed(.telephony(.callArrived(IncomingCall(handle: CallHandle(3), sipCallID: "cid-stray", caller: "", dialled: "billing",
                                                            remoteURI: "<sip:127.0.0.1:5060>")))) == ["hangup 3 404"])
    }

    @Test func aReloadInTheMiddleLeavesTheCallOnItsPlanAndGivesNewCallsTheNewOne() {
        var h = Harness(pops: false)
        _ = h.arrive(touch: .none)
        _ = h.feed(.telephony(.mediaActive(Self.caller)))
        let changed = Self.plan.replacingOccurrences(of: "greeting \"main-greeting\"", with: "greeting \"new-greeting\"")
            .replacingOccurrences(of: "option 1 -> queue sales", with: "option 1 -> queue billing")
        _ = h.feed(.planLoaded(TestPlans.loaded(changed)))
        #expect(h.board.plan.version == 2)
        // The call in progress keys 1 on its own plan (sales, ann); a new call hears the new greeting.
        #expect(h.feed(.telephony(.digitReceived(Self.caller, DTMFDigit("1")!, .rfc4733))).contains("dial leg0 ann"))
        _ = h.arrive(CallHandle(2), touch: .none)
        #expect(h.feed(.telephony(.mediaActive(CallHandle(2)))) == ["play 2 new-greeting #0"])
        #expect(h.feed(.telephony(.digitReceived(CallHandle(2), DTMFDigit("1")!, .rfc4733))).contains("dial leg1 bea"))
    }

    @Test func silenceInTheMenuRunsItsTimerAtTheDeadlineTheSwitchboardReports() {
        var h = Harness()
        _ = h.arrive()
        _ = h.feed(.telephony(.mediaActive(Self.caller)))
        _ = h.feed(.telephony(.promptFinished(Self.caller, PlaybackID(call: Self.caller, sequence: 0))))
        let deadline = h.board.nextDeadline()
        #expect(deadline == h.now + .seconds(5))
        // Nothing is due a moment before; at the deadline the menu plays again.
        #expect(h.feed(.timersDue, after: .seconds(4)).isEmpty)
        #expect(h.feed(.timersDue, after: .seconds(1)).contains("play 1 main-greeting #1"))
    }

    @Test func theOrderingRuleSendsAgentsPhonesFirstAndHoldsMediaAndTeardownUntilAnAnswerBridgeOrTheEnd() {
        let c = Self.caller, ctx = LogContext()
        let p = PlaybackID(call: c, sequence: 7)
        let dial = SwitchboardEffect.dial(AgentDial(command: .dial(Self.leg(0), to: "sip:a@h", callerID: "1", headers: []), leg: LegID(call: c, sequence: 0),
                                                    member: "ann", dialled: LogLine(.info, "leg.dialled")))
        let natural: [SwitchboardEffect] = [
            .telephony(.stopPlayback(c, p), ctx), .telephony(.play(c, prompts: ["/p/x.wav"], playback: p, loop: false), ctx),
            .journey(JourneyEntry(reference: try! ReferenceNumber(parsing: "482-103-3712"), kind: .queue, detail: "joined queue sales", call: nil, author: nil)),
            .telephony(.answer(c, code: 200), ctx),
            .telephony(.hangup(Self.leg(1), code: 487), ctx), dial,
            .telephony(.bridge(c, Self.leg(0)), ctx), .telephony(.hangup(c, code: 200), ctx),
        ]
        #expect(SwitchboardEffect.ordered(natural).compactMap(Self.line) == [
            "hangup leg1 487", "dial leg0 ann",  // an agent's leg ends and the next rings, ahead of all else
            "journey queue: joined queue sales", // the rest in the order it arose...
            "stop 1 #7", "play 1 x #7",          // ...but media held until the answer needs them done
            "answer 1 200",
            "bridge 1 leg0",
            "hangup 1 200",                      // held to the end
        ])
    }
}
