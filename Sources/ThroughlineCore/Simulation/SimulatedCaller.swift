/// The keys a simulated caller presses, from `--keys "1 2 #"`: one token each time the menu
/// waits for a key. A token of several keys (`400`) is pressed 300 ms apart; `_` or `wait`
/// says nothing and lets the timeout run. Each token is pressed 1 s after the wait begins.
public struct SimulatedCaller: Sendable, Equatable {
    public enum Token: Sendable, Equatable {
        case keys([DTMFDigit])
        case silence
    }

    public var tokens: [Token]

    public struct BadKey: Error, Equatable, CustomStringConvertible {
        public let token: String
        public var description: String { "'\(token)' is not a key sequence (keys are 0-9, *, # and A-D; '_' waits)" }
    }

    public init(keys: String) throws(BadKey) {
        var tokens: [Token] = []
        for word in keys.split(whereSeparator: { $0 == " " || $0 == "," }) {
            if word == "_" || word == "wait" { tokens.append(.silence); continue }
            var digits: [DTMFDigit] = []
            for c in word {
                guard let d = DTMFDigit(c) else { throw BadKey(token: String(word)) }
                digits.append(d)
            }
            tokens.append(.keys(digits))
        }
        self.tokens = tokens
    }
}
