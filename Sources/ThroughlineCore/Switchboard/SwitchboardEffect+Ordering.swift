extension SwitchboardEffect {
    /// The ordering rule, in one place. What an agent's phone waits on leaves first: every
    /// agent INVITE (`dial`) and every end of an agent's leg (CANCEL or BYE to a handle the leg
    /// table placed), in the order they arose, ahead of everything else the input produced,
    /// its log lines, wallboard updates and screen pops included. So a caller's key or an
    /// agent coming free reaches the next agent's phone before any other work of the input,
    /// and a desk transfer still frees the first agent's phone before the next one rings.
    /// The rest runs in the order it arose, except that media and teardown commands
    /// (`TelephonyCommand.Timing.last`: play, stop, hang up) wait until the input's other
    /// effects are done, or until a command that must follow them (`inOrder`: answer,
    /// bridge). Journey entries keep their place (the shell commits them together at the end).
    ///
    /// Called by `Switchboard.handle` on what one input produced.
    public static func ordered(_ effects: [SwitchboardEffect]) -> [SwitchboardEffect] {
        var phones: [SwitchboardEffect] = []
        var out: [SwitchboardEffect] = []
        out.reserveCapacity(effects.count)
        var held: [SwitchboardEffect] = []
        for effect in effects {
            if effect.isForAnAgentsPhone {
                phones.append(effect)
                continue
            }
            guard case .telephony(let command, _) = effect else {
                out.append(effect)
                continue
            }
            switch command.timing {
            case .last:
                held.append(effect)
            case .inOrder:
                out += held
                held.removeAll()
                out.append(effect)
            case .first:
                out.append(effect)
            }
        }
        return phones + out + held
    }

    /// An agent's INVITE, or the end of an agent's leg.
    var isForAnAgentsPhone: Bool {
        switch self {
        case .dial: true
        case .telephony(let command, _): command.endsAgentLeg
        default: false
        }
    }
}

extension TelephonyCommand {
    /// A hang-up of a call this controller placed (an agent's leg, `LegTable.firstHandle` up).
    var endsAgentLeg: Bool {
        if case .hangup(let handle, _) = self { return handle.rawValue >= LegTable.firstHandle }
        return false
    }
}
