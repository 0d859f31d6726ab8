/// `menu NAME { … }`: prompts, keys and where each key leads.
public struct Menu: Sendable, Hashable {
    public struct Option: Sendable, Hashable {
        /// The keys that choose it: one key (`1`, `*`, `#`) or several (`123`).
        public var keys: String
        public var target: Located<Target>
        public var location: SourceLocation
    }

    public var name: Located<String>
    public var greeting: Located<String>?
    /// Played instead of the greeting on later attempts. Default: the greeting.
    public var reprompt: Located<String>?
    /// Played after an invalid key, before the reprompt.
    public var invalid = Located("invalid-option", at: SourceLocation(file: "<default>", line: 0, column: 0))
    /// Played when the caller keyed nothing, before the reprompt. Default: none.
    public var noInput: Located<String>?
    /// Wait for the first key after the prompt ends.
    public var timeout: Duration = .seconds(5)
    /// Wait between keys of a multi-key option.
    public var digitTimeout: Duration = .seconds(2)
    /// Tries (greeting plus reprompts) before `on-failure`.
    public var attempts = 3
    /// Ends a multi-key entry early. Default `#`.
    public var terminator: Character? = "#"
    public var options: [Option] = []
    public var onFailure = Located(Target.hangup, at: SourceLocation(file: "<default>", line: 0, column: 0))
    /// Say the call's reference after the greeting, on the first attempt.
    public var sayReference = false
    /// A key stops the playing prompt (and is kept). Default yes.
    public var bargeIn = true

    public init(name: Located<String>) { self.name = name }

    /// The longest option, which ends an entry without waiting for the digit timeout.
    public var maxKeys: Int { options.map(\.keys.count).max() ?? 1 }
}
