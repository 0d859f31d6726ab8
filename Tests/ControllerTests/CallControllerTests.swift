import Controller
import Foundation
import TestSupport
import Testing
import ThroughlineCore

@Suite("CallController: events in, commands out")
struct CallControllerTests {
    static let planV1 = """
    route "5551000" -> menu main
    menu main {
      greeting "main-greeting"
      timeout 5s
      attempts 2
      option 1 -> queue sales
      option 2 -> hangup
      on-failure -> hangup
    }
    queue sales {
      require sales>=1
    }
    agent bob {
      contact "sip:bob@127.0.0.1:6002"
      skills sales=3
    }
    """
    static let planV2 = planV1.replacingOccurrences(of: "option 1 -> queue sales", with: "option 1 -> hangup")
        + "\nroute default -> menu main\n"

    let port = FakeTelephonyPort()
    let logs = LogCapture()
    let clock = ManualClock()

    func makeController(_ text: String = planV1) -> CallController {
        CallController(port: port, logger: logs.logger(), plan: TestPlans.loaded(text), clock: clock.reader)
    }

    func arrival(_ n: UInt64, to dialled: String = "5551000") -> ControllerInput {
        .telephony(.callArrived(IncomingCall(
            handle: CallHandle(n), sipCallID: "cid-\(n)@test", caller: "5551234", dialled: dialled,
            remoteURI: "<sip:5551234@127.0.0.1>")))
    }

    func call(_ n: UInt64) -> CallHandle { CallHandle(n) }
    func playback(_ n: UInt64, _ s: UInt32) -> PlaybackID { PlaybackID(call: CallHandle(n), sequence: s) }
    func key(_ c: Character) -> DTMFDigit { DTMFDigit(c)! }

    @Test func aCallIsAnsweredAndGreetedWithThePlansPromptAndLogged() throws {
        let controller = makeController()
        controller.handle(arrival(1))
        controller.handle(.telephony(.mediaActive(call(1))))
        #expect(port.executed == [
            .answer(call(1), code: 200),
            .play(call(1), prompts: ["/prompts/main-greeting.wav"], playback: playback(1, 0), loop: false),
        ])
        let arrived = try #require(logs.lines(event: "call.arrived").first)
        #expect(arrived.contains("call=1 sip_call_id=cid-1@test from=5551234 to=5551000"))
        #expect(arrived.contains("route=5551000 campaign=\"\" target=\"menu main\" plan=1"))
        #expect(logs.lines(event: "ivr.step").map { $0.components(separatedBy: "step=").last! } == ["\"menu main\"", "\"play main-greeting\""])
    }

    @Test func aNumberWithNoRouteIsRefusedWith404BeforeAnswer() {
        let controller = makeController()
        controller.handle(arrival(1, to: "999"))
        #expect(port.executed == [.hangup(call(1), code: 404)])
        #expect(controller.activeCalls == 0)
        #expect(logs.lines(event: "call.refused").first?.contains("code=404") == true)
    }

    @Test func timersFireWhenTheClockReachesThem() {
        let controller = makeController()
        controller.handle(arrival(1))
        controller.handle(.telephony(.mediaActive(call(1))))
        controller.handle(.telephony(.promptFinished(call(1), playback(1, 0))))
        #expect(controller.pendingTimers == 1)
        clock.advance(by: .seconds(4))
        controller.fireDueTimers()
        #expect(port.executed.count == 3)  // nothing yet
        clock.advance(by: .seconds(1))
        controller.fireDueTimers()
        // no-input: attempt 2 replays the greeting (no reprompt, no no-input prompt set).
        #expect(port.executed.last == .play(call(1), prompts: ["/prompts/main-greeting.wav"], playback: playback(1, 1), loop: false))
    }

    @Test func aKeyRoutesToTheQueueWhichRingsTheFreeAgentWhileTheCallerHoldsWithMusic() throws {
        let controller = makeController()
        controller.handle(arrival(1))
        controller.handle(.telephony(.mediaActive(call(1))))
        controller.handle(.telephony(.digitReceived(call(1), key("1"), .rfc4733)))
        // The agent's INVITE goes out first; the caller's prompt changes follow in the same input.
        #expect(Array(port.executed.suffix(3)) == [
            .dial(CallHandle(1 << 62), to: "sip:bob@127.0.0.1:6002", callerID: "5551234",
                  headers: [SIPHeader("X-Throughline-Call-ID", "cid-1@test"), SIPHeader("X-Throughline-Member", "bob")]),
            .stopPlayback(call(1), playback(1, 0)),
            .play(call(1), prompts: ["/prompts/please-hold.wav"], playback: playback(1, 1_000_000), loop: false),
        ])
        controller.handle(.telephony(.promptFinished(call(1), playback(1, 1_000_000))))
        #expect(port.executed.last == .play(call(1), prompts: ["/prompts/hold-music.wav"], playback: playback(1, 1_000_001), loop: true))
        #expect(logs.lines(event: "ivr.outcome").first?.hasSuffix("outcome=\"routed queue sales\"") == true)
        #expect(logs.lines(event: "queue.joined").count == 1)
        // bob's ring time is the one timer running.
        #expect(controller.pendingTimers == 1)
    }

    @Test func aCallInProgressKeepsItsPlanAcrossAReloadAndNewCallsTakeTheNewOne() throws {
        let controller = makeController()
        controller.handle(arrival(1))
        controller.handle(.telephony(.mediaActive(call(1))))
        let installed = Captured<PlanVersion>()
        controller.handle(.planLoaded(TestPlans.loaded(Self.planV2)) { installed.value = $0 })
        #expect(installed.value?.version == 2)
        #expect(controller.plan.version == 2)
        controller.handle(arrival(2))
        controller.handle(.telephony(.mediaActive(call(2))))
        // The same key: the old call goes to the queue (plan 1), the new one hangs up (plan 2).
        controller.handle(.telephony(.digitReceived(call(1), key("1"), .sipInfo)))
        controller.handle(.telephony(.digitReceived(call(2), key("1"), .sipInfo)))
        #expect(port.executed.contains(.play(call(2), prompts: ["/prompts/goodbye.wav"], playback: playback(2, 1), loop: false)))
        controller.handle(.telephony(.promptFinished(call(2), playback(2, 1))))
        #expect(port.executed.last == .hangup(call(2), code: 200))
        let outcomes = logs.lines(event: "ivr.outcome")
        #expect(outcomes.count == 2)
        #expect(outcomes[0].contains("call=1 ") && outcomes[0].contains("plan=1") && outcomes[0].hasSuffix("\"routed queue sales\""))
        #expect(outcomes[1].contains("call=2 ") && outcomes[1].contains("plan=2") && outcomes[1].hasSuffix("outcome=hung-up"))
        // The new plan's default route applies to new calls only.
        controller.handle(arrival(3, to: "999"))
        #expect(controller.activeCalls == 3)
    }

    @Test func keysAreLoggedWithTheirMethodAndSummarisedAtTheEnd() throws {
        let controller = makeController()
        controller.handle(arrival(1))
        controller.handle(.telephony(.mediaActive(call(1))))
        controller.handle(.telephony(.digitReceived(call(1), key("2"), .sipInfo)))
        controller.handle(.telephony(.callEnded(call(1), code: 200, reason: "Normal call clearing")))
        #expect(logs.lines(event: "dtmf.received").first?.hasSuffix("digit=2 method=sip-info") == true)
        let ended = try #require(logs.lines(event: "call.ended").first)
        #expect(ended.contains("code=200 reason=\"Normal call clearing\" keys=2 outcome=caller-left active=0"), "\(ended)")
        #expect(controller.activeCalls == 0)
    }

    @Test func eventsForAnEndedCallAreIgnored() {
        let controller = makeController()
        controller.handle(arrival(1))
        controller.handle(.telephony(.callEnded(call(1), code: 487, reason: "Request Terminated")))
        let before = port.executed
        controller.handle(.telephony(.mediaActive(call(1))))
        controller.handle(.telephony(.callEnded(call(1), code: 200, reason: "again")))
        #expect(port.executed == before)
        #expect(logs.lines(event: "call.ended").count == 1)
    }

    @Test func shutdownHangsUpEveryCallReleasesTimersAndRefusesNewCalls() {
        let controller = makeController()
        controller.handle(arrival(1))
        controller.handle(arrival(2))
        controller.handle(.telephony(.mediaActive(call(2))))
        controller.handle(.telephony(.promptFinished(call(2), playback(2, 0))))
        #expect(controller.pendingTimers == 1)
        controller.handle(.shutdownRequested(reason: "SIGTERM"))
        #expect(controller.pendingTimers == 0)
        #expect(port.executed.contains(.hangup(call(1), code: 503)))
        #expect(port.executed.contains(.hangup(call(2), code: 503)))
        controller.handle(arrival(3))
        #expect(port.executed.last == .hangup(call(3), code: 503))
        #expect(logs.lines(event: "call.refused").count == 1)
    }

    @Test func runEndsWhenTheLastCallIsGoneAfterShutdown() {
        let controller = makeController()
        let queue = EventQueue<ControllerInput>()
        queue.post(arrival(1))
        queue.post(.shutdownRequested(reason: "test"))
        queue.post(.telephony(.callEnded(call(1), code: 200, reason: "ok")))
        controller.run(queue: queue, grace: 60)
        #expect(port.shutdownCount == 1)
        #expect(logs.lines(event: "shutdown.complete").first?.contains("calls_handled=1 active=0") == true)
    }

    @Test func runGivesUpOnCallsThatNeverEndAfterTheGracePeriod() {
        let controller = CallController(port: port, logger: logs.logger(), plan: TestPlans.loaded(Self.planV1))  // real clock
        let queue = EventQueue<ControllerInput>()
        queue.post(arrival(1))
        queue.post(.shutdownRequested(reason: "test"))
        controller.run(queue: queue, grace: 0.05)
        #expect(port.shutdownCount == 1)
        #expect(logs.lines(event: "shutdown.grace-expired").count == 1)
    }

    @Test func aFailedPromptEndsTheCallInsteadOfLeavingItSilent() {
        port.failWhen = { if case .play = $0 { return true } else { return false } }
        let controller = makeController()
        controller.handle(arrival(1))
        controller.handle(.telephony(.mediaActive(call(1))))
        #expect(port.executed == [.answer(call(1), code: 200), .hangup(call(1), code: 500)])
        #expect(logs.lines(event: "command.failed").first?.contains("command=play") == true)
    }
}

/// Holds what a `@Sendable` callback reported, for the test to read.
final class Captured<T>: @unchecked Sendable {
    var value: T?
}
