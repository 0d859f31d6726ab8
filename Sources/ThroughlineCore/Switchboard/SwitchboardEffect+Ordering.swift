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
    /// bridge). Journey entries keep their place (the shell hands them to the store together at the end).
    ///
    /// Called by the tests on a list of their own; `Switchboard.handle` orders its list in place.
    public static func ordered(_ effects: [SwitchboardEffect]) -> [SwitchboardEffect] {
        var effects = effects
        order(&effects)
        return effects
    }

    /// Puts `effects` in execution order in place: the elements are swapped, never copied, so
    /// the INVITE that leads an input's list costs no copy of the pops and records behind it.
    /// Called by `Switchboard.handle` on what one input produced, on the controller thread.
    static func order(_ effects: inout [SwitchboardEffect]) {
        let source = executionOrder(effects)
        guard source.indices.contains(where: { source[$0] != $0 }) else { return }
        // Position i takes the element first at source[i]: earlier positions are settled, so
        // an element that was there has moved on, along the permutation, to source[j].
        effects.withUnsafeMutableBufferPointer { buffer in
            for i in buffer.indices {
                var j = source[i]
                while j < i { j = source[j] }
                buffer.swapAt(i, j)
            }
        }
    }

    /// The rule as a permutation: position k of the result takes `effects[order[k]]`.
    static func executionOrder(_ effects: [SwitchboardEffect]) -> [Int] {
        var phones: [Int] = []
        var out: [Int] = []
        out.reserveCapacity(effects.count)
        var held: [Int] = []
        for index in effects.indices {
            let effect = effects[index]
            if effect.isForAnAgentsPhone {
                phones.append(index)
                continue
            }
            guard case .telephony(let command, _) = effect else {
                out.append(index)
                continue
            }
            switch command.timing {
            case .last:
                held.append(index)
            case .inOrder:
                out += held
                held.removeAll()
                out.append(index)
            case .first:
                out.append(index)
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
