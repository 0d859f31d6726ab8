import Controller
import TestSupport
import Testing
import ThroughlineCore

@Suite("CallController: events in, commands out")
struct CallControllerTests {
    let port = FakeTelephonyPort()
    let logs = LogCapture()

    func makeController() -> CallController {
        CallController(port: port, logger: logs.logger(), greeting: "welcome")
    }

    func arrival(_ n: UInt64) -> ControllerInput {
        .telephony(.callArrived(IncomingCall(
            handle: CallHandle(n), sipCallID: "cid-\(n)@test", caller: "5551234", dialled: "5551000",
            remoteURI: "<sip:5551234@127.0.0.1>")))
    }

    @Test func aCallIsAnsweredGreetedAndLoggedWithItsIDs() {
        let controller = makeController()
        controller.handle(arrival(1))
        controller.handle(.telephony(.mediaActive(CallHandle(1))))
        let playback = PlaybackID(call: CallHandle(1), sequence: 0)
        #expect(port.executed == [
            .answer(CallHandle(1), code: 200),
            .play(CallHandle(1), prompt: "welcome", playback: playback, loop: false),
        ])
        #expect(controller.activeCalls == 1)
        let arrived = logs.lines(event: "call.arrived")
        #expect(arrived.count == 1)
        #expect(arrived.first?.contains("call=1 sip_call_id=cid-1@test from=5551234 to=5551000") == true)
        #expect(logs.lines(event: "prompt.started").first?.contains("prompt=welcome") == true)
    }

    @Test func keysAreLoggedWithTheirMethodAndSummarisedAtTheEnd() throws {
        let controller = makeController()
        controller.handle(arrival(1))
        controller.handle(.telephony(.digitReceived(CallHandle(1), try #require(DTMFDigit("4")), .rfc4733)))
        controller.handle(.telephony(.digitReceived(CallHandle(1), try #require(DTMFDigit("2")), .sipInfo)))
        controller.handle(.telephony(.callEnded(CallHandle(1), code: 200, reason: "Normal call clearing")))
        let digits = logs.lines(event: "dtmf.received")
        #expect(digits.count == 2)
        #expect(digits[0].hasSuffix("digit=4 method=rfc4733"))
        #expect(digits[1].hasSuffix("digit=2 method=sip-info"))
        let ended = try #require(logs.lines(event: "call.ended").first)
        #expect(ended.contains("code=200 reason=\"Normal call clearing\" keys=42 active=0"))
        #expect(controller.activeCalls == 0)
    }

    @Test func eventsForAnEndedCallAreIgnored() {
        let controller = makeController()
        controller.handle(arrival(1))
        controller.handle(.telephony(.callEnded(CallHandle(1), code: 487, reason: "Request Terminated")))
        let before = port.executed
        controller.handle(.telephony(.mediaActive(CallHandle(1))))
        controller.handle(.telephony(.callEnded(CallHandle(1), code: 200, reason: "again")))
        #expect(port.executed == before)
        #expect(logs.lines(event: "call.ended").count == 1)
    }

    @Test func shutdownHangsUpEveryCallAndRefusesNewOnes() {
        let controller = makeController()
        controller.handle(arrival(1))
        controller.handle(arrival(2))
        controller.handle(.telephony(.mediaActive(CallHandle(2))))
        controller.handle(.shutdownRequested(reason: "SIGTERM"))
        let playback = PlaybackID(call: CallHandle(2), sequence: 0)
        #expect(Array(port.executed.suffix(3)) == [
            .hangup(CallHandle(1), code: 503),
            .stopPlayback(CallHandle(2), playback),
            .hangup(CallHandle(2), code: 503),
        ])
        controller.handle(arrival(3))
        #expect(port.executed.last == .hangup(CallHandle(3), code: 503))
        #expect(logs.lines(event: "call.refused").count == 1)
        #expect(controller.activeCalls == 2)
    }

    @Test func runEndsWhenTheLastCallIsGoneAfterShutdown() {
        let controller = makeController()
        let queue = EventQueue<ControllerInput>()
        queue.post(arrival(1))
        queue.post(.shutdownRequested(reason: "test"))
        queue.post(.telephony(.callEnded(CallHandle(1), code: 200, reason: "ok")))
        controller.run(queue: queue, grace: 60)
        #expect(port.shutdownCount == 1)
        #expect(logs.lines(event: "shutdown.complete").first?.contains("calls_handled=1 active=0") == true)
    }

    @Test func runGivesUpOnCallsThatNeverEndAfterTheGracePeriod() {
        let controller = makeController()
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
        controller.handle(.telephony(.mediaActive(CallHandle(1))))
        #expect(port.executed == [.answer(CallHandle(1), code: 200), .hangup(CallHandle(1), code: 500)])
        #expect(logs.lines(event: "command.failed").first?.contains("command=play") == true)
    }
}
