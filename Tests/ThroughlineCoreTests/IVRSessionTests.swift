import Foundation
import Testing
import ThroughlineCore

/// The menu engine, with time driven by the test.
@Suite("IVR menu engine")
struct IVRSessionTests {
    static let planText = """
    route default -> menu main
    menu main {
      greeting "main-greeting"
      reprompt "main-short"
      invalid "invalid-option"
      no-input "no-input"
      timeout 5s
      digit-timeout 2s
      attempts 3
      option 1 -> queue sales
      option 2 -> menu support
      option 400 -> queue billing
      option 9 -> reference
      option 0 -> hangup
      on-failure -> queue support
    }
    menu support {
      greeting "support-greeting"
      barge-in no
      option 1 -> queue support
      option * -> back
      option 5 -> repeat
      on-failure -> queue support
    }
    """
    let call = CallHandle(1)

    func session() throws -> IVRSession {
        let (plan, diagnostics) = DialplanParser.parse([.init(path: "t.dialplan", text: Self.planText)])
        try #require(!diagnostics.hasErrors, "\(diagnostics)")
        return IVRSession(plan: plan, call: call, entry: .menu("main"))
    }

    func key(_ c: Character) -> DTMFDigit { DTMFDigit(c)! }
    func playback(_ n: UInt32) -> PlaybackID { PlaybackID(call: call, sequence: n) }
    func timer(_ n: UInt32) -> IVRTimer { IVRTimer(call: call, sequence: n) }

    @Test func playsTheGreetingThenWaitsTheTimeout() throws {
        var ivr = try session()
        #expect(ivr.start(at: .zero) == [.play(["main-greeting"], playback(0))])
        #expect(ivr.promptFinished(playback(0), at: .seconds(13)) == [.startTimer(timer(0), after: .seconds(5))])
    }

    @Test func aSingleKeyOptionIsTakenAtOnce() throws {
        var ivr = try session()
        _ = ivr.start(at: .zero)
        _ = ivr.promptFinished(playback(0), at: .seconds(13))
        #expect(ivr.digitReceived(key("1"), at: .seconds(14)) == [.cancelTimer(timer(0)), .finished(.routed(.queue("sales")))])
        #expect(ivr.outcome == .routed(.queue("sales")))
    }

    @Test func aKeyDuringTheGreetingStopsItAndCounts() throws {
        var ivr = try session()
        _ = ivr.start(at: .zero)
        #expect(ivr.digitReceived(key("2"), at: .seconds(1)) == [.stopPlayback(playback(0)), .play(["support-greeting"], playback(1))])
        #expect(ivr.current?.name.value == "support")
        #expect(ivr.steps.map(\.kind).contains(.bargeIn))
    }

    @Test func withoutBargeInKeysTypedAheadAreKeptUntilThePromptEnds() throws {
        var ivr = try session()
        _ = ivr.start(at: .zero)
        _ = ivr.digitReceived(key("2"), at: .seconds(1))      // -> support (barge-in no)
        #expect(ivr.digitReceived(key("1"), at: .seconds(2)) == [])  // the prompt keeps playing
        #expect(ivr.promptFinished(playback(1), at: .seconds(10)) == [.finished(.routed(.queue("support")))])
    }

    @Test func anIncompleteEntryIsInvalidAfterTheDigitTimeout() throws {
        var ivr = try session()
        _ = ivr.start(at: .zero)
        _ = ivr.promptFinished(playback(0), at: .seconds(13))
        #expect(ivr.digitReceived(key("4"), at: .seconds(14)) == [.cancelTimer(timer(0)), .startTimer(timer(1), after: .seconds(2))])
        #expect(ivr.timerFired(timer(1), at: .seconds(16)) == [.play(["invalid-option"], playback(1))])
    }

    @Test func multiKeyOptionByLengthAndByTerminator() throws {
        var ivr = try session()
        _ = ivr.start(at: .zero)
        _ = ivr.promptFinished(playback(0), at: .seconds(13))
        _ = ivr.digitReceived(key("4"), at: .seconds(14))
        #expect(ivr.digitReceived(key("0"), at: .seconds(15)) == [.cancelTimer(timer(1)), .startTimer(timer(2), after: .seconds(2))])
        #expect(ivr.digitReceived(key("0"), at: .seconds(16)) == [.cancelTimer(timer(2)), .finished(.routed(.queue("billing")))])
    }

    @Test func anExactKeyThatStartsALongerOptionWaitsThenTimesOutToIt() throws {
        let text = Self.planText.replacingOccurrences(of: "option 1 -> queue sales", with: "option 1 -> queue sales\n  option 13 -> queue billing")
        let (plan, _) = DialplanParser.parse([.init(path: "t.dialplan", text: text)])
        var ivr = IVRSession(plan: plan, call: call, entry: .menu("main"))
        _ = ivr.start(at: .zero)
        _ = ivr.promptFinished(playback(0), at: .seconds(13))
        #expect(ivr.digitReceived(key("1"), at: .seconds(14)) == [.cancelTimer(timer(0)), .startTimer(timer(1), after: .seconds(2))])
        #expect(ivr.timerFired(timer(1), at: .seconds(16)) == [.finished(.routed(.queue("sales")))])
        var withHash = IVRSession(plan: plan, call: call, entry: .menu("main"))
        _ = withHash.start(at: .zero)
        _ = withHash.promptFinished(playback(0), at: .seconds(13))
        _ = withHash.digitReceived(key("1"), at: .seconds(14))
        #expect(withHash.digitReceived(key("#"), at: .seconds(14.5)) == [.cancelTimer(timer(1)), .finished(.routed(.queue("sales")))])
    }

    @Test func anInvalidKeyPlaysInvalidThenTheReprompt() throws {
        var ivr = try session()
        _ = ivr.start(at: .zero)
        _ = ivr.promptFinished(playback(0), at: .seconds(13))
        #expect(ivr.digitReceived(key("7"), at: .seconds(14)) == [.cancelTimer(timer(0)), .play(["invalid-option"], playback(1))])
        #expect(ivr.promptFinished(playback(1), at: .seconds(16)) == [.play(["main-short"], playback(2))])
        #expect(ivr.steps.map(\.kind).contains(.invalid(keys: "7")))
    }

    @Test func silenceLeadsThroughTheTimeoutsToOnFailure() throws {
        var ivr = try session()
        _ = ivr.start(at: .zero)
        var t: Duration = .seconds(13)
        _ = ivr.promptFinished(playback(0), at: t)
        // attempt 1 times out -> no-input, reprompt; attempt 2 likewise; attempt 3 -> on-failure.
        t += .seconds(5)
        #expect(ivr.timerFired(timer(0), at: t) == [.play(["no-input"], playback(1))])
        #expect(ivr.promptFinished(playback(1), at: t + .seconds(2)) == [.play(["main-short"], playback(2))])
        #expect(ivr.promptFinished(playback(2), at: t + .seconds(10)) == [.startTimer(timer(1), after: .seconds(5))])
        #expect(ivr.timerFired(timer(1), at: t + .seconds(15)) == [.play(["no-input"], playback(3))])
        _ = ivr.promptFinished(playback(3), at: t + .seconds(17))
        #expect(ivr.promptFinished(playback(4), at: t + .seconds(25)) == [.startTimer(timer(2), after: .seconds(5))])
        #expect(ivr.timerFired(timer(2), at: t + .seconds(30)) == [.play(["no-input"], playback(5))])
        #expect(ivr.promptFinished(playback(5), at: t + .seconds(32)) == [.finished(.routed(.queue("support")))])
        #expect(ivr.steps.map(\.kind).contains(.failure(.queue("support"))))
    }

    @Test func aStaleTimerIsIgnored() throws {
        var ivr = try session()
        _ = ivr.start(at: .zero)
        _ = ivr.promptFinished(playback(0), at: .seconds(13))
        _ = ivr.digitReceived(key("2"), at: .seconds(14))
        #expect(ivr.timerFired(timer(0), at: .seconds(18)) == [])
    }

    @Test func backReturnsToThePreviousMenuAndRepeatReplays() throws {
        var ivr = try session()
        _ = ivr.start(at: .zero)
        _ = ivr.digitReceived(key("2"), at: .seconds(1))
        _ = ivr.promptFinished(playback(1), at: .seconds(11))
        #expect(ivr.digitReceived(key("5"), at: .seconds(12)) == [.cancelTimer(timer(0)), .play(["support-greeting"], playback(2))])
        _ = ivr.promptFinished(playback(2), at: .seconds(22))
        #expect(ivr.digitReceived(key("*"), at: .seconds(23)) == [.cancelTimer(timer(1)), .play(["main-greeting"], playback(3))])
        #expect(ivr.current?.name.value == "main")
    }

    @Test func hangupPlaysGoodbyeThenEnds() throws {
        var ivr = try session()
        _ = ivr.start(at: .zero)
        _ = ivr.promptFinished(playback(0), at: .seconds(13))
        #expect(ivr.digitReceived(key("0"), at: .seconds(14)) == [.cancelTimer(timer(0)), .play(["goodbye"], playback(1))])
        #expect(ivr.digitReceived(key("1"), at: .seconds(15)) == [])  // keys during goodbye mean nothing
        #expect(ivr.promptFinished(playback(1), at: .seconds(17)) == [.finished(.hungUp)])
    }

    @Test func theCallerHangingUpReleasesThePromptAndEnds() throws {
        var ivr = try session()
        _ = ivr.start(at: .zero)
        #expect(ivr.callerHungUp(at: .seconds(3)) == [.stopPlayback(playback(0)), .finished(.callerLeft)])
        #expect(ivr.digitReceived(key("1"), at: .seconds(4)) == [])
    }

    @Test func sayReferenceAddsTheDigitsAfterTheGreeting() throws {
        let text = Self.planText.replacingOccurrences(of: "  attempts 3\n", with: "  attempts 3\n  say-reference\n")
        let (plan, _) = DialplanParser.parse([.init(path: "t.dialplan", text: text)])
        var ivr = IVRSession(plan: plan, call: call, entry: .menu("main"), reference: "4821033715")
        #expect(ivr.start(at: .zero) == [.play(["main-greeting", "your-reference-is", "digit-4", "digit-8", "digit-2", "digit-1",
                                                "digit-0", "digit-3", "digit-3", "digit-7", "digit-1", "digit-5"], playback(0))])
    }
}
