import TestSupport
import Testing
import ThroughlineCore

/// Call backs through the pure `Switchboard` with fake time: the caller's confirmation, the
/// place kept against callers who joined before and after, duplicates, retries and give-up,
/// cancellation when the customer gets through, agent-first and customer-first.
@Suite("Call backs: the place kept, placed, retried, cancelled")
struct CallbackTests {
    static func plan(mode: String = "agent-first") -> String {
        """
        settings {
          outbound "sip:{number}@127.0.0.1:5090"
          callback-numbers "_555XXXX"
        }
        department sales {
          title "Sales"
        }
        route "5551000" -> queue sales
        route "5551001" -> menu main
        menu main {
          greeting "main-greeting"
          option 5 -> callback sales
        }
        queue sales {
          department sales
          require sales>=1
          ring 15s
          wrap-up 0s
          callback key 1 after 30s
          callback mode \(mode)
          callback retry 5m
          callback attempts 2
        }
        agent ann {
          contact "sip:ann@127.0.0.1:6001"
          skills sales=3
          departments sales
        }
        """
    }

    static let cb1 = CallHandle(PendingCallback.firstHandle + 1)

    struct Harness {
        var h: SwitchboardTests.Harness

        init(mode: String = "agent-first") {
            h = SwitchboardTests.Harness(plan: CallbackTests.plan(mode: mode))
            _ = h.feed(.agentStatus(agent: "ann", .paused(reason: "lunch")))
        }

        mutating func feed(_ input: SwitchboardInput, after: Duration = .zero) -> [String] { h.feed(input, after: after) }

        /// A caller from `number` reaches the queue and hears "please hold".
        mutating func arrive(_ handle: UInt64, from number: String, dialled: String = "5551000") -> [String] {
            _ = feed(.callArrived(IncomingCall(handle: CallHandle(handle), sipCallID: "cid-\(handle)", caller: number, dialled: dialled,
                                               remoteURI: "<sip:\(number)@127.0.0.1>"),
                                  .issued(try! ReferenceNumber(parsing: CallbackTests.references[Int(handle) == 1 ? 0 : Int(handle)]))))
            let media = feed(.telephony(.mediaActive(CallHandle(handle))))
            // "Please hold" plays to its end; the music starts.
            return media + feed(.telephony(.promptFinished(CallHandle(handle), PlaybackID(call: CallHandle(handle), sequence: 1_000_000))))
        }

        mutating func key(_ handle: UInt64, _ digit: Character, after: Duration = .zero) -> [String] {
            feed(.telephony(.digitReceived(CallHandle(handle), DTMFDigit(digit)!, .rfc4733)), after: after)
        }

        /// The caller waits for the offer, keys 1, hears their number and confirms it with 1.
        mutating func askForCallback(_ handle: UInt64, waited: Duration = .seconds(30)) -> [String] {
            _ = feed(.timersDue, after: waited)
            _ = key(handle, "1")
            _ = key(handle, "1", after: .seconds(1))
            return feed(.timersDue, after: CallSession.callbackConfirmPause)
        }

        /// A caller from `number` joins, takes the call back and hangs up after "your place is kept".
        mutating func leaveWithCallback(_ handle: UInt64, from number: String) {
            _ = arrive(handle, from: number)
            _ = askForCallback(handle)
            _ = feed(.telephony(.callEnded(CallHandle(handle), code: 200, reason: "BYE")))
        }
    }

    /// Each caller's reference (by handle): valid ones, drawn once from a fixed seed.
    static let references: [String] = {
        var generator = SeededGenerator(seed: 17)
        return ["482-103-3712"] + (1...4).map { _ in ReferenceNumber.random(using: &generator).description }
    }()

    @Test func theCallerHearsTheOfferConfirmsTheirNumberAndIsToldTheirPlaceIsKept() {
        var t = Harness()
        #expect(t.arrive(1, from: "5551111").contains("play 1 please-hold #1000000"))
        let offer = t.feed(.timersDue, after: .seconds(30))
        #expect(offer.contains { $0.hasPrefix("play 1 callback-offer+digit-1") })
        let read = t.key(1, "1")
        #expect(read.contains { $0.hasPrefix("play 1 callback-number-is+digit-5+digit-5+digit-5+digit-1+digit-1+digit-1+digit-1+callback-confirm") })
        _ = t.key(1, "1", after: .seconds(1))
        let kept = t.feed(.timersDue, after: CallSession.callbackConfirmPause)
        #expect(kept.contains("saved callback 1 5551111 attempts 0"))
        #expect(kept.contains { $0.hasPrefix("journey callback: callback to 5551111 requested in queue sales") })
        #expect(kept.contains { $0.hasPrefix("play 1 callback-kept+goodbye") })
        #expect(t.h.board.pendingCallbacks.map(\.number) == ["5551111"])
        // The caller hangs up after goodbye: the record says callback, not abandoned.
        let ended = t.feed(.telephony(.callEnded(CallHandle(1), code: 200, reason: "BYE")))
        #expect(ended.contains("finished queue sales: callback requested"))
    }

    @Test func aNumberOutsideThePatternIsRefusedAndTheCallerMayKeyAnother() {
        var t = Harness()
        _ = t.arrive(1, from: "99912345")
        _ = t.feed(.timersDue, after: .seconds(30))
        _ = t.key(1, "1")
        _ = t.key(1, "1", after: .seconds(1))
        let refused = t.feed(.timersDue, after: CallSession.callbackConfirmPause)
        #expect(refused.contains { $0.hasPrefix("play 1 callback-refused+callback-enter-number") })
        #expect(refused.contains { $0.hasPrefix("journey callback: callback to 99912345 refused: no callback-numbers pattern allows it") })
        #expect(t.h.board.pendingCallbacks.isEmpty)
        // Another number, keyed and ended by #, read back and confirmed.
        for d in "5552222" { _ = t.key(1, d) }
        let read = t.key(1, "#")
        #expect(read.contains { $0.contains("callback-number-is+digit-5+digit-5+digit-5+digit-2") })
        _ = t.key(1, "1")
        let kept = t.feed(.timersDue, after: CallSession.callbackConfirmPause)
        #expect(kept.contains("saved callback 1 5552222 attempts 0"))
    }

    /// A waits from 0 s, B from 10 s; A takes a call back at 30 s and hangs up; C joins at
    /// 40 s. When ann is free the call back is offered first (A's place), then B, then C.
    @Test func theCallBackIsServedAtItsPlaceBeforeLaterCallersAndAfterEarlierOnes() {
        var t = Harness()
        _ = t.arrive(1, from: "5551111")
        _ = t.feed(.timersDue, after: .seconds(10))
        _ = t.arrive(2, from: "5552222")
        _ = t.askForCallback(1, waited: .seconds(20))
        _ = t.feed(.telephony(.callEnded(CallHandle(1), code: 200, reason: "BYE")), after: .seconds(6))
        _ = t.arrive(3, from: "5553333")
        // ann comes back: the call back (A's place) is offered to her first, with the number.
        let free = t.feed(.agentStatus(agent: "ann", .available))
        #expect(free.first == "dial leg0 ann")
        #expect(free.contains("pop ann ref 482-103-3712"))
        // She answers: the customer is called at the plan's outbound.
        let answered = t.feed(.telephony(.callAnswered(SwitchboardTests.leg(0))))
        #expect(answered.contains("dial leg1 Customer"))
        #expect(answered.contains("placed callback 1"))
        // ann hears ringback while her customer is called.
        #expect(t.feed(.telephony(.mediaActive(SwitchboardTests.leg(0)))).contains { $0.hasPrefix("play leg0 ringback loop") })
        _ = t.feed(.telephony(.callAnswered(SwitchboardTests.leg(1))))
        let asked = t.feed(.telephony(.mediaActive(SwitchboardTests.leg(1))))
        #expect(asked.contains { $0.hasPrefix("play leg1 callback-intro") })
        let keyed = t.feed(.telephony(.digitReceived(SwitchboardTests.leg(1), DTMFDigit("1")!, .rfc4733)))
        #expect(keyed.contains { $0.hasPrefix("stop leg1 ") } && keyed.contains { $0.hasPrefix("stop leg0 ") }, "\(keyed)")
        #expect(keyed.contains("bridge leg1 leg0"))
        #expect(keyed.contains("ended callback 1 connected"))
        #expect(keyed.contains("holder sales ann"))
        // The conversation ends: ann is free again and B (who came before C) is offered.
        let over = t.feed(.telephony(.callEnded(SwitchboardTests.leg(0), code: 200, reason: "BYE")))
        #expect(over.contains("hangup leg1 200"))
        #expect(over.contains("dial leg2 ann"))
        #expect(over.contains("pop ann ref \(Self.references[2])"))
    }

    @Test func callersWhoCameFirstAreServedBeforeTheCallBack() {
        var t = Harness()
        _ = t.arrive(2, from: "5552222")
        _ = t.feed(.timersDue, after: .seconds(10))
        _ = t.arrive(1, from: "5551111")
        _ = t.askForCallback(1)
        let free = t.feed(.agentStatus(agent: "ann", .available))
        #expect(free.contains("pop ann ref \(Self.references[2])"))  // caller 2, who joined first
    }

    @Test func aSecondRequestForTheSameNumberKeepsTheFirstsPlace() {
        var t = Harness()
        _ = t.arrive(1, from: "5551111")
        _ = t.askForCallback(1)
        let first = t.h.board.pendingCallbacks
        _ = t.feed(.telephony(.callEnded(CallHandle(1), code: 200, reason: "BYE")))
        _ = t.arrive(2, from: "5551111", dialled: "5551000")
        let again = t.askForCallback(2, waited: .seconds(40))
        #expect(again.contains("saved callback 1 5551111 attempts 0"))
        #expect(again.contains { $0.hasPrefix("play 2 callback-kept+goodbye") })
        #expect(t.h.board.pendingCallbacks.count == 1)
        #expect(first.count == 1 && t.h.board.pendingCallbacks.first?.joinedAt == first.first?.joinedAt)
    }

    @Test func aBusyCustomerIsRetriedAfterTheRetryThenGivenUp() {
        var t = Harness()
        t.leaveWithCallback(1, from: "5551111")
        _ = t.feed(.agentStatus(agent: "ann", .available))
        _ = t.feed(.telephony(.callAnswered(SwitchboardTests.leg(0))))
        let busy = t.feed(.telephony(.callEnded(SwitchboardTests.leg(1), code: 486, reason: "Busy Here")))
        #expect(busy.contains("hangup leg0 200"))
        #expect(busy.contains("saved callback 1 5551111 attempts 1 retry"))
        #expect(busy.contains { $0.hasPrefix("journey callback: 5551111: busy; calling again at") })
        _ = t.feed(.telephony(.callEnded(SwitchboardTests.leg(0), code: 200, reason: "BYE")))
        // Nothing is placed before the retry time, even with ann free.
        #expect(!t.feed(.timersDue, after: .seconds(299)).contains { $0.hasPrefix("dial") })
        let retry = t.feed(.timersDue, after: .seconds(1))
        #expect(retry.contains("dial leg2 ann"))
        _ = t.feed(.telephony(.callAnswered(SwitchboardTests.leg(2))))
        // Second attempt: no answer within the ring time, CANCEL; attempts 2 of 2: given up.
        let ring = t.feed(.timersDue, after: Switchboard.customerRing)
        #expect(ring.contains("hangup leg3 487"))
        let gaveUp = t.feed(.telephony(.callEnded(SwitchboardTests.leg(3), code: 487, reason: "Request Terminated")))
        #expect(gaveUp.contains("ended callback 1 gave-up"))
        #expect(gaveUp.contains { $0.hasPrefix("journey callback: callback to 5551111 given up after 2 attempts (last: no answer)") })
        #expect(t.h.board.pendingCallbacks.isEmpty)
    }

    @Test func callingInAndReachingAnAgentCancelsThePendingCallBack() {
        var t = Harness()
        t.leaveWithCallback(1, from: "5551111")
        // The first attempt finds the customer busy: the call back waits for its retry.
        _ = t.feed(.agentStatus(agent: "ann", .available))
        _ = t.feed(.telephony(.callAnswered(SwitchboardTests.leg(0))))
        _ = t.feed(.telephony(.callEnded(SwitchboardTests.leg(1), code: 486, reason: "Busy Here")))
        _ = t.feed(.telephony(.callEnded(SwitchboardTests.leg(0), code: 200, reason: "BYE")))
        #expect(t.h.board.pendingCallbacks.count == 1)
        // Meanwhile the customer calls in and ann answers: nothing is owed any more.
        #expect(t.arrive(2, from: "5551111").contains("dial leg2 ann"))
        #expect(t.h.board.pendingCallbacks.count == 1)  // joining is not reaching an agent
        let answered = t.feed(.telephony(.callAnswered(SwitchboardTests.leg(2))))
        #expect(answered.contains("ended callback 1 called-in"))
        #expect(answered.contains { $0.hasPrefix("journey callback: callback to 5551111 cancelled: the customer called in and reached an agent") })
        #expect(t.h.board.pendingCallbacks.isEmpty)
        // The retry time passes: nothing is placed.
        #expect(!t.feed(.timersDue, after: .seconds(300)).contains { $0.hasPrefix("dial") })
    }

    /// The agent hangs up while the customer's phone rings: the customer's call is cancelled,
    /// the attempt is not the customer's and is not counted, and the call back keeps its place.
    @Test func anAgentWhoHangsUpBeforeTheCustomerAnswersCostsNoAttempt() {
        var t = Harness()
        t.leaveWithCallback(1, from: "5551111")
        _ = t.feed(.agentStatus(agent: "ann", .available))
        _ = t.feed(.telephony(.callAnswered(SwitchboardTests.leg(0))))
        let gone = t.feed(.telephony(.callEnded(SwitchboardTests.leg(0), code: 200, reason: "BYE")))
        #expect(gone.contains("hangup leg1 487"))
        #expect(gone.contains("saved callback 1 5551111 attempts 0"))
        let cancelled = t.feed(.telephony(.callEnded(SwitchboardTests.leg(1), code: 487, reason: "Request Terminated")))
        #expect(!cancelled.contains { $0.contains("retry") || $0.hasPrefix("ended callback") }, "\(cancelled)")
        #expect(t.h.board.pendingCallbacks.map(\.attempts) == [0])
        // ann's pass-over ends: the call back is offered to her again, on new legs.
        let again = t.feed(.timersDue, after: .seconds(30))
        #expect(again.contains("dial leg2 ann"), "\(again)")
    }

    /// A reload takes `outbound` away while a call back waits: when its agent answers, no
    /// customer is called (the plan no longer names where), the agent is let go, the call
    /// back is dropped and says why.
    @Test func aCallBackIsNeverPlacedWhenThePlanNoLongerNamesWhere() {
        var t = Harness()
        t.leaveWithCallback(1, from: "5551111")
        let withoutOutbound = CallbackTests.plan().replacingOccurrences(of: "  outbound \"sip:{number}@127.0.0.1:5090\"\n", with: "")
        _ = t.feed(.planLoaded(TestPlans.loaded(withoutOutbound, version: 2)))
        _ = t.feed(.agentStatus(agent: "ann", .available))
        let answered = t.feed(.telephony(.callAnswered(SwitchboardTests.leg(0))))
        #expect(!answered.contains { $0.contains("Customer") }, "\(answered)")
        #expect(answered.contains("hangup leg0 200") && answered.contains("ended callback 1 dropped"), "\(answered)")
        #expect(t.h.board.pendingCallbacks.isEmpty)
    }

    @Test func customerFirstCallsTheCustomerBeforeRingingTheAgent() {
        var t = Harness(mode: "customer-first")
        t.leaveWithCallback(1, from: "5551111")
        let free = t.feed(.agentStatus(agent: "ann", .available))
        #expect(free.first == "dial leg0 Customer")
        #expect(!free.contains { $0.hasSuffix(" ann") && $0.hasPrefix("dial") })
        _ = t.feed(.telephony(.callAnswered(SwitchboardTests.leg(0))))
        _ = t.feed(.telephony(.mediaActive(SwitchboardTests.leg(0))))
        let keyed = t.feed(.telephony(.digitReceived(SwitchboardTests.leg(0), DTMFDigit("1")!, .rfc4733)))
        #expect(keyed.contains { $0.hasPrefix("play leg0 hold-music loop") })
        #expect(keyed.contains("dial leg1 ann"))
        _ = t.feed(.telephony(.callAnswered(SwitchboardTests.leg(1))))
        let media = t.feed(.telephony(.mediaActive(SwitchboardTests.leg(1))))
        #expect(media.contains("bridge leg0 leg1"))
    }

    @Test func anAdminCancelsAPendingCallBack() {
        var t = Harness()
        _ = t.arrive(1, from: "5551111")
        _ = t.askForCallback(1)
        #expect(t.feed(.cancelCallback(id: 7)).contains("reply callbackCancelled(refused: Optional(\"no pending callback 7\"))"))
        let cancelled = t.feed(.cancelCallback(id: 1))
        #expect(cancelled.contains("ended callback 1 cancelled"))
        #expect(t.h.board.pendingCallbacks.isEmpty)
        #expect(!t.feed(.agentStatus(agent: "ann", .available)).contains { $0.hasPrefix("dial") })
    }

    @Test func aRestartPutsPendingCallBacksBackAtTheirPlaces() {
        var t = Harness()
        t.h.board.wallClockAtStart = 1_000_000
        _ = t.arrive(2, from: "5552222")  // joins now
        let old = PendingCallback(id: 4, number: "5551111", queue: "sales", reference: "482-103-3712", department: "sales", priority: 0,
                                  presented: "5551000", joinedAt: 1_000_000 - 60_000, requestedAt: 1_000_000 - 30_000)
        _ = t.feed(.callbacksRestored([old], nextID: 9))
        let free = t.feed(.agentStatus(agent: "ann", .available))
        #expect(free.first == "dial leg0 ann")
        #expect(free.contains("pop ann ref 482-103-3712"))  // the call back joined a minute before caller 2
    }

    @Test func theMenuOptionGoesStraightToTheConfirmation() {
        var t = Harness()
        _ = t.arrive(1, from: "5551111", dialled: "5551001")
        let keyed = t.key(1, "5")
        #expect(keyed.contains { $0.contains("callback-number-is+digit-5") })
    }
}

/// `throughline simulate`'s account of the offer and the caller's choice.
@Suite("Call backs in the simulation")
struct CallbackSimulationTests {
    @Test func theOfferTheKeyAndTheConfirmationAreDescribedAsALiveCallWouldTakeThem() throws {
        let plan = TestPlans.loaded(CallbackTests.plan()).plan
        let queue = try #require(plan.queue("sales"))
        let lines = CallbackSimulation.lines(queue: queue, plan: plan, from: "99912345", direct: false,
                                             tokens: try SimulatedCaller(keys: "1 1 5552222# 1").tokens)
        #expect(lines == [
            "  callback: offered after 30s with key 1 and again with each announcement (mode agent-first, retry 5m, at most 2 attempts)",
            "  after 30s the caller keys 1: a call back",
            "  their number 99912345 is read back: 1 confirms, or another number and #",
            "  keys 1: 99912345 is refused (no callback-numbers pattern allows it); they may key another number",
            "  keys 5552222#: 5552222 is read back",
            "  keys 1: confirmed (5552222 matches _555XXXX); they hear their place is kept and are hung up",
            "  their call back waits at their place in queue sales and is placed to sip:5552222@127.0.0.1:5090",
        ])
        let waits = CallbackSimulation.lines(queue: queue, plan: plan, from: "5551111", direct: false, tokens: [])
        #expect(waits.last == "  the caller does not take the offer (no key 1 after it) and waits")
    }
}
