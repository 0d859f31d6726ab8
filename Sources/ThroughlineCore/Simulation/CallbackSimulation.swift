/// What `throughline simulate` says of a queue's call backs and of the simulated caller's
/// choice: the offer (when and with which key), then the keys left after the menus: the
/// offer's key, then `1` to confirm their number or another number ended by `#`, checked
/// against the plan's `callback-numbers` as a live call is.
public enum CallbackSimulation {
    /// Lines for a caller from `from` reaching `queue` (`direct`: by `-> callback QUEUE`,
    /// straight to the confirmation), pressing `tokens`.
    public static func lines(queue: Queue, plan: Dialplan, from: String, direct: Bool, tokens: [SimulatedCaller.Token]) -> [String] {
        let c = queue.callback
        var out: [String] = []
        let how = "mode \(c.mode.rawValue), retry \(StatementReader.format(c.retry)), at most \(c.attempts) attempts"
        if direct {
            out.append("  callback: the caller confirms a number and keeps their place in queue \(queue.name.value) (\(how))")
        } else if let key = c.key {
            out.append("  callback: offered after \(StatementReader.format(c.after)) with key \(key) and again with each announcement (\(how))")
        } else {
            return out
        }
        var rest = tokens[...]
        if !direct {
            guard case .keys(let keys)? = rest.first, keys == [c.key!] else {
                out.append("  the caller does not take the offer (no key \(c.key!) after it) and waits")
                return out
            }
            rest = rest.dropFirst()
            out.append("  after \(StatementReader.format(c.after)) the caller keys \(c.key!): a call back")
        }
        var number = from
        out.append("  their number \(from.isEmpty ? "(none: they are asked to key one)" : from) is read back: 1 confirms, or another number and #")
        while let token = rest.popFirst() {
            guard case .keys(let keys) = token else { continue }
            let text = keys.map(\.description).joined()
            if text == "1", !number.isEmpty {
                guard plan.settings.outbound != nil, let pattern = plan.settings.callbackNumbers.first(where: { $0.matches(number) }) else {
                    out.append("  keys 1: \(number) is refused (no callback-numbers pattern allows it); they may key another number")
                    number = ""
                    continue
                }
                let uri = plan.settings.outbound!.value.replacing("{number}", with: number)
                out.append("  keys 1: confirmed (\(number) matches \(pattern)); they hear their place is kept and are hung up")
                out.append("  their call back waits at their place in queue \(queue.name.value) and is placed to \(uri)")
                return out
            }
            let digits = text.hasSuffix("#") ? String(text.dropLast()) : text
            number = digits
            out.append("  keys \(text): \(digits) is read back")
        }
        out.append("  the caller keys nothing more: after three silences they go back to waiting")
        return out
    }
}
