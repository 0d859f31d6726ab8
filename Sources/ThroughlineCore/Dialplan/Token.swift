/// A lexical token of the dialplan language. Statements end at the end of a line, so the
/// lexer works one line at a time and a token never spans lines.
public struct Token: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A keyword or name: letters, digits, `-` and `_`, starting with a letter.
        case word(String)
        /// Starts with a digit: a number (`3`, `5551000`) or a duration (`500ms`, `2m`).
        case numeric(String)
        /// A double-quoted string, escapes (`\"`, `\\`) resolved.
        case string(String)
        case arrow          // ->
        case comma          // ,
        case openBrace      // {
        case closeBrace     // }
        case comparison(String)  // = >= > <= <
        case star           // *
    }

    public var kind: Kind
    public var location: SourceLocation

    /// How the token is spelled in a message: `'queue'`, `'"welcome"'`, `'->'`.
    public var spelling: String {
        switch kind {
        case .word(let w), .numeric(let w): return "'\(w)'"
        case .string(let s): return "'\"\(s)\"'"
        case .arrow: return "'->'"
        case .comma: return "','"
        case .openBrace: return "'{'"
        case .closeBrace: return "'}'"
        case .comparison(let c): return "'\(c)'"
        case .star: return "'*'"
        }
    }
}
