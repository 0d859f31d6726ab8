import Testing
import ThroughlineCore

@Suite("GreetingCall: answer, greet, hold")
struct GreetingCallTests {
    let call = CallHandle(7)

    @Test func answersWith200WhenTheCallArrives() {
        let (machine, commands) = GreetingCall.start(call, greeting: "welcome")
        #expect(commands == [.answer(call, code: 200)])
        #expect(machine.state == .answering)
    }

    @Test func playsTheGreetingOnceMediaIsActive() {
        var (machine, _) = GreetingCall.start(call, greeting: "welcome")
        let commands = machine.mediaActive()
        let playback = PlaybackID(call: call, sequence: 0)
        #expect(commands == [.play(call, prompt: "welcome", playback: playback, loop: false)])
        #expect(machine.state == .greeting(playback))
        // A re-INVITE brings media up again: the greeting does not restart.
        #expect(machine.mediaActive() == [])
    }

    @Test func holdsAfterTheGreetingAndReleasesThePlayer() {
        var (machine, _) = GreetingCall.start(call, greeting: "welcome")
        _ = machine.mediaActive()
        let playback = PlaybackID(call: call, sequence: 0)
        #expect(machine.promptFinished(playback) == [.stopPlayback(call, playback)])
        #expect(machine.state == .holding)
    }

    @Test func aStaleEndOfFileDoesNotMoveTheCall() {
        var (machine, _) = GreetingCall.start(call, greeting: "welcome")
        _ = machine.mediaActive()
        let stale = PlaybackID(call: call, sequence: 9)
        #expect(machine.promptFinished(stale) == [.stopPlayback(call, stale)])
        #expect(machine.state == .greeting(PlaybackID(call: call, sequence: 0)))
    }

    @Test func recordsKeysWithTheirMethodInOrder() throws {
        var (machine, _) = GreetingCall.start(call, greeting: "welcome")
        _ = machine.mediaActive()
        let one = try #require(DTMFDigit("1"))
        let pound = try #require(DTMFDigit("#"))
        #expect(machine.digitReceived(one, method: .rfc4733) == [])
        #expect(machine.digitReceived(pound, method: .sipInfo) == [])
        #expect(machine.keys == [ReceivedKey(one, .rfc4733), ReceivedKey(pound, .sipInfo)])
    }

    @Test func hangingUpDuringTheGreetingStopsIt() {
        var (machine, _) = GreetingCall.start(call, greeting: "welcome")
        _ = machine.mediaActive()
        let playback = PlaybackID(call: call, sequence: 0)
        #expect(machine.callEnded(code: 200) == [.stopPlayback(call, playback)])
        #expect(machine.state == .ended(code: 200))
        #expect(machine.isEnded)
    }

    @Test func keysAfterTheEndAreIgnored() throws {
        var (machine, _) = GreetingCall.start(call, greeting: "welcome")
        _ = machine.callEnded(code: 487)
        _ = machine.digitReceived(try #require(DTMFDigit("5")), method: .rfc4733)
        #expect(machine.keys.isEmpty)
    }

    @Test func shutdownStopsThePromptAndHangsUpOnce() {
        var (machine, _) = GreetingCall.start(call, greeting: "welcome")
        _ = machine.mediaActive()
        let playback = PlaybackID(call: call, sequence: 0)
        #expect(machine.shutdownRequested() == [.stopPlayback(call, playback), .hangup(call, code: 503)])
        #expect(machine.state == .hangingUp)
        #expect(machine.shutdownRequested() == [])
    }

    @Test func shutdownWhileHoldingHangsUp() {
        var (machine, _) = GreetingCall.start(call, greeting: "welcome")
        _ = machine.mediaActive()
        _ = machine.promptFinished(PlaybackID(call: call, sequence: 0))
        #expect(machine.shutdownRequested() == [.hangup(call, code: 503)])
    }
}
