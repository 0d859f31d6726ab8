/// Call-backs place calls, so a plan that offers them must say where calls may go: the
/// `outbound` URI and the `callback-numbers` a customer's number must match. Without both,
/// no callback is offered rather than one placed somewhere the plan does not name.
extension DialplanChecker {
    mutating func checkCallbacks() {
        let viaMenu = Set(allTargets().compactMap { t -> String? in
            if case .callback(let q) = t.value { return q } else { return nil }
        })
        for q in plan.queues {
            guard let location = q.callback.location else { continue }
            let name = q.name.value
            if q.callback.key != nil {
                checkCallbackSettings(at: location, what: "the callback key of queue '\(name)'")
                if let maxWait = q.maxWait, maxWait <= q.callback.after {
                    warning(location, "callers never hear the callback offer at \(StatementReader.format(q.callback.after)): they leave queue '\(name)' at max-wait \(StatementReader.format(maxWait))")
                }
            } else if !viaMenu.contains(name) {
                warning(location, "queue '\(name)' has callback statements but no 'callback key', and no '-> callback \(name)' offers one")
            }
        }
    }

    /// The two settings every call-back needs; `what` names what asks for them.
    mutating func checkCallbackSettings(at location: SourceLocation, what: String) {
        if plan.settings.outbound == nil {
            error(location, "\(what) needs 'outbound' in settings (the SIP URI calls to customers go to, such as \"sip:{number}@127.0.0.1:5090\")")
        }
        if plan.settings.callbackNumbers.isEmpty {
            error(location, "\(what) needs 'callback-numbers' in settings (the numbers a customer may be called back on, such as \"_1NXXNXXXXXX\")")
        }
    }
}
