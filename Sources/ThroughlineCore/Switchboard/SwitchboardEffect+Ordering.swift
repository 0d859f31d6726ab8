extension SwitchboardEffect {
    /// The ordering rule, in one place: an input's effects run in the order they arose, except
    /// that media and teardown commands (`TelephonyCommand.Timing.last`: play, stop, hang up)
    /// wait until the input's other effects are done, or until a command that must follow
    /// them (`inOrder`: answer, bridge). So an agent's INVITE (`dial`) produced by a caller's
    /// key or an agent's hang-up leaves before the prompt changes and BYEs of the same input;
    /// journey entries keep their place (the shell commits them together at the end).
    /// Ending an agent's leg (CANCEL or BYE to a handle the leg table placed) is no prompt
    /// change: it keeps its place too, so a desk transfer frees the first agent's phone
    /// before the next one rings.
    ///
    /// Called by `Switchboard.handle` on what one input produced.
    public static func ordered(_ effects: [SwitchboardEffect]) -> [SwitchboardEffect] {
        var out: [SwitchboardEffect] = []
        out.reserveCapacity(effects.count)
        var held: [SwitchboardEffect] = []
        for effect in effects {
            guard case .telephony(let command, _) = effect, !command.endsAgentLeg else {
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
        return out + held
    }
}

extension TelephonyCommand {
    /// A hang-up of a call this controller placed (an agent's leg, `LegTable.firstHandle` up).
    var endsAgentLeg: Bool {
        if case .hangup(let handle, _) = self { return handle.rawValue >= LegTable.firstHandle }
        return false
    }
}
