/// Read-only views of a call's stage for the switchboard, the wallboard and tests, and the
/// stage-local data (hold, reference entry) the call's own extensions reach through.
extension CallSession {
    /// What the call is doing, without the stage's data (for the wallboard, pops and tests).
    public var state: State {
        switch stage {
        case .answering: .answering
        case .inMenus: .inMenus
        case .keyingReference: .keyingReference
        case .ringing(let r): .ringingAgents(hunt: r.name)
        case .queued(let q): .queued(q.name)
        case .connected(let c): .connected(member: c.member, leg: c.leg)
        case .transferring(let c, let target): .transferring(member: c.member, leg: c.leg, target: target)
        case .hangingUp: .hangingUp
        case .ended(let code): .ended(code: code)
        }
    }

    /// The menu the caller is in, while in the menus.
    public var currentMenu: String? {
        if case .inMenus(let ivr) = stage { return ivr.current?.name.value }
        return nil
    }

    /// The hunt ringing agents, while one does.
    public var hunt: HuntSession? {
        if case .ringing(let r) = stage { return r.hunt }
        return nil
    }

    /// Legs dialled and not yet ended (ringing or connected).
    public var liveLegs: Set<LegID> { legs.live }

    /// Queue offers ringing now: each leg and its agent.
    public var queueLegs: [LegID: String] {
        if case .queued(let q) = stage { return q.offers }
        return [:]
    }

    /// Keying a reference: what is keyed so far, the tries, the prompt and timer running
    /// (a fresh entry in any other stage; setting it outside that stage does nothing).
    public internal(set) var referenceEntry: ReferenceEntry {
        get {
            if case .keyingReference(let entry) = stage { return entry }
            return ReferenceEntry()
        }
        set {
            if case .keyingReference = stage { stage = .keyingReference(newValue) }
        }
    }

    /// What the waiting caller hears, in the stages that have it (ringing, queued).
    var hold: Hold? {
        get {
            switch stage {
            case .ringing(let r): r.hold
            case .queued(let q): q.hold
            default: nil
            }
        }
        set {
            guard let newValue else { return }
            switch stage {
            case .ringing(var r): r.hold = newValue; stage = .ringing(r)
            case .queued(var q): q.hold = newValue; stage = .queued(q)
            default: break
            }
        }
    }
}
