import Testing
import ThroughlineCore

/// A caller keying a reference (`-> reference`), time and lookups driven by the test.
@Suite("CallSession: keying a reference")
struct ReferenceEntryTests {
    let call = CallHandle(4)

    func start() throws -> CallSession {
        let (plan, diagnostics) = DialplanParser.parse([.init(path: "t", text: "route default -> reference\nqueue support {\n  department support\n}\ndepartment support {\n}\n")])
        try #require(!diagnostics.hasErrors, "\(diagnostics)")
        var (session, _) = CallSession.start(call, plan: plan, route: plan.route(forDialled: "1")!, prompts: PromptLibrary(folder: "/p"))
        _ = session.mediaActive(at: .zero)
        return session
    }

    func press(_ s: inout CallSession, _ keys: String, at t: Duration) -> [CallSession.Action] {
        keys.flatMap { s.digitReceived(DTMFDigit($0)!, method: .rfc4733, at: t) }
    }

    func played(_ actions: [CallSession.Action]) -> [String] {
        actions.flatMap { action -> [String] in
            if case .telephony(.play(_, let prompts, _, _)) = action { return prompts }
            return []
        }
    }

    func lookup(_ actions: [CallSession.Action]) -> ReferenceNumber? {
        for action in actions { if case .lookupReference(let r) = action { return r } }
        return nil
    }

    @Test func aValidReferenceIsLookedUpAndAFoundOneGoesToItsDepartment() throws {
        var s = try start()
        #expect(s.state == .keyingReference)
        let actions = press(&s, "4821033712#", at: .seconds(1))
        let keyed = try #require(lookup(actions))
        #expect(keyed.description == "482-103-3712")
        let found = s.referenceLookedUp(keyed, target: .queue("support"), at: .seconds(2))
        #expect(found.contains(.queue(.join(try #require(s.plan.queue("support"))))))
        #expect(s.state == .queued("support"))
    }

    @Test func aMistypedReferenceIsRefusedBeforeAnyLookup() throws {
        var s = try start()
        // 482-103-3713: the check digit is wrong; then a swap of neighbours.
        for (n, keys) in ["4821033713#", "4812033712#"].enumerated() {
            let actions = press(&s, keys, at: .seconds(1 + n * 10))
            #expect(lookup(actions) == nil)
            #expect(played(actions) == ["/p/reference-invalid.wav"])
            #expect(s.path.last?.description == "play reference-invalid")
            // After "not valid", the caller is asked again.
            guard case .refusing(let playback) = s.referenceEntry.phase else { Issue.record("\(s.referenceEntry)"); return }
            #expect(played(s.promptFinished(playback, at: .seconds(5 + n * 10))) == ["/p/enter-reference.wav"])
        }
        #expect(s.path.contains { $0.description.contains("refused before lookup: the check digit does not match") })
    }

    @Test func anUnknownReferenceIsSaidSoAndThreeFailedTriesSayGoodbye() throws {
        var s = try start()
        for attempt in 1...3 {
            let t = Duration.seconds(attempt * 10)
            let keyed = try #require(lookup(press(&s, "4821033712#", at: t)))
            let unknown = s.referenceLookedUp(keyed, target: nil, at: t + .seconds(1))
            #expect(played(unknown) == ["/p/reference-unknown.wav"])
            guard case .refusing(let playback) = s.referenceEntry.phase else { Issue.record("\(s.referenceEntry)"); return }
            let next = s.promptFinished(playback, at: t + .seconds(3))
            #expect(played(next) == (attempt < 3 ? ["/p/enter-reference.wav"] : ["/p/goodbye.wav"]))
        }
        #expect(s.state == .inMenus)  // the goodbye run, then hang-up
    }

    @Test func aForgottenPoundKeyIsTakenAfterTheKeyTimeout() throws {
        var s = try start()
        let actions = press(&s, "4821033712", at: .seconds(1))
        #expect(lookup(actions) == nil)
        let timer = try #require(s.referenceEntry.timer)
        #expect(lookup(s.timerFired(timer, at: .seconds(6)))?.description == "482-103-3712")
    }
}
