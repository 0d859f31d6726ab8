import Testing
import ThroughlineCore

@Suite("CallSession: a call through the menus and on hold")
struct CallSessionTests {
    static let text = """
    settings {
      music "hold-music"
    }
    route default -> menu main
    menu main {
      greeting "main-greeting"
      option 1 -> queue sales
      option 2 -> queue billing
      option 0 -> hangup
    }
    queue sales {
      music "sales-music"
    }
    queue billing {
    }
    """
    let call = CallHandle(3)

    func start() throws -> CallSession {
        let (plan, diagnostics) = DialplanParser.parse([.init(path: "t", text: Self.text)])
        try #require(!diagnostics.hasErrors)
        let route = try #require(plan.route(forDialled: "1"))
        let (session, actions) = CallSession.start(call, plan: plan, route: route, prompts: PromptLibrary(folder: "/p"))
        #expect(actions == [.telephony(.answer(call, code: 200))])
        return session
    }

    func key(_ c: Character) -> DTMFDigit { DTMFDigit(c)! }

    @Test func routedToAQueueItHoldsWithThatQueuesMusic() throws {
        var s = try start()
        _ = s.mediaActive(at: .zero)
        let actions = s.digitReceived(key("1"), method: .rfc4733, at: .seconds(1))
        let hold = PlaybackID(call: call, sequence: 1_000_000)
        #expect(actions.contains(.outcome(.routed(.queue("sales")))))
        #expect(actions.dropLast().last == .telephony(.play(call, prompts: ["/p/please-hold.wav"], playback: hold, loop: false)))
        // The call asks to join the queue (the controller hands it to the queue engine).
        guard case .queue(.join(let queue)) = actions.last else { Issue.record("no join: \(actions)"); return }
        #expect(queue.name.value == "sales")
        let music = s.promptFinished(hold, at: .seconds(3))
        #expect(music == [.telephony(.stopPlayback(call, hold)),
                          .telephony(.play(call, prompts: ["/p/sales-music.wav"], playback: PlaybackID(call: call, sequence: 1_000_001), loop: true))])
    }

    @Test func aQueueWithoutMusicUsesTheSettingsMusic() throws {
        var s = try start()
        _ = s.mediaActive(at: .zero)
        _ = s.digitReceived(key("2"), method: .rfc4733, at: .seconds(1))
        let music = s.promptFinished(PlaybackID(call: call, sequence: 1_000_000), at: .seconds(3))
        #expect(music.last == .telephony(.play(call, prompts: ["/p/hold-music.wav"], playback: PlaybackID(call: call, sequence: 1_000_001), loop: true)))
    }

    @Test func theSameKeyByTheOtherMethodAtOnceCountsOnce() throws {
        var s = try start()
        _ = s.mediaActive(at: .zero)
        _ = s.digitReceived(key("0"), method: .rfc4733, at: .seconds(1))
        #expect(s.digitReceived(key("0"), method: .sipInfo, at: .seconds(1) + .milliseconds(120)) == [.duplicateKey(key("0"), .sipInfo)])
        // The same key again by the same method is a second press; by the other method later, too.
        var t = try start()
        _ = t.mediaActive(at: .zero)
        _ = t.digitReceived(key("7"), method: .rfc4733, at: .seconds(1))
        #expect(t.digitReceived(key("7"), method: .rfc4733, at: .seconds(1) + .milliseconds(100)) != [.duplicateKey(key("7"), .rfc4733)])
        #expect(t.digitReceived(key("7"), method: .sipInfo, at: .seconds(3)) != [.duplicateKey(key("7"), .sipInfo)])
    }

    @Test func theCallerLeavingReleasesEverything() throws {
        var s = try start()
        _ = s.mediaActive(at: .zero)
        _ = s.digitReceived(key("1"), method: .rfc4733, at: .seconds(1))
        let hold = PlaybackID(call: call, sequence: 1_000_000)
        // The queue engine hears the caller is gone (abandoned), and the playback stops.
        #expect(s.callEnded(code: 200, at: .seconds(2)) == [.queue(.released), .telephony(.stopPlayback(call, hold))])
        #expect(s.isEnded)
    }

    @Test func shutdownInTheMenusStopsThePromptAndHangsUp() throws {
        var s = try start()
        _ = s.mediaActive(at: .zero)
        #expect(s.shutdownRequested(at: .seconds(1)) == [.telephony(.stopPlayback(call, PlaybackID(call: call, sequence: 0))),
                                                         .telephony(.hangup(call, code: 503))])
        #expect(s.shutdownRequested(at: .seconds(2)) == [])
    }
}
