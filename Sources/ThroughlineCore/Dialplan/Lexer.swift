/// Splits one line of a dialplan into tokens. `#` outside a string starts a comment.
///
/// Pure and total: any input yields tokens and diagnostics, never a crash.
public enum Lexer {
    public static func tokens(
        of line: Substring, file: String, line number: Int
    ) -> (tokens: [Token], diagnostics: [Diagnostic]) {
        var tokens: [Token] = []
        var diagnostics: [Diagnostic] = []
        let scalars = Array(line.unicodeScalars)
        var i = 0
        func at(_ index: Int) -> SourceLocation { SourceLocation(file: file, line: number, column: index + 1) }
        func isWordScalar(_ s: Unicode.Scalar) -> Bool {
            (s >= "a" && s <= "z") || (s >= "A" && s <= "Z") || (s >= "0" && s <= "9") || s == "-" || s == "_"
        }
        while i < scalars.count {
            let s = scalars[i]
            let start = i
            switch s {
            case " ", "\t", "\r":
                i += 1
            case "#":
                i = scalars.count
            case "\"":
                var value = String.UnicodeScalarView()
                i += 1
                var closed = false
                while i < scalars.count {
                    let c = scalars[i]
                    if c == "\"" { closed = true; i += 1; break }
                    if c == "\\", i + 1 < scalars.count {
                        let next = scalars[i + 1]
                        if next == "\"" || next == "\\" { value.append(next); i += 2; continue }
                    }
                    value.append(c)
                    i += 1
                }
                if closed {
                    tokens.append(Token(kind: .string(String(value)), location: at(start)))
                } else {
                    diagnostics.append(.error(at(start), "unterminated string (strings end on the same line with '\"')"))
                }
            case "-" where i + 1 < scalars.count && scalars[i + 1] == ">":
                tokens.append(Token(kind: .arrow, location: at(start)))
                i += 2
            case ",":
                tokens.append(Token(kind: .comma, location: at(start))); i += 1
            case "{":
                tokens.append(Token(kind: .openBrace, location: at(start))); i += 1
            case "}":
                tokens.append(Token(kind: .closeBrace, location: at(start))); i += 1
            case "*":
                tokens.append(Token(kind: .star, location: at(start))); i += 1
            case "=", ">", "<":
                var op = String(s)
                if i + 1 < scalars.count, scalars[i + 1] == "=", s != "=" { op += "="; i += 1 }
                i += 1
                tokens.append(Token(kind: .comparison(op), location: at(start)))
            default:
                if s >= "0" && s <= "9" {
                    // `400/h` (a rate) is one token, like `30s`.
                    while i < scalars.count, isWordScalar(scalars[i]) || scalars[i] == "/", scalars[i] != "-" { i += 1 }
                    tokens.append(Token(kind: .numeric(String(String.UnicodeScalarView(scalars[start..<i]))), location: at(start)))
                } else if (s >= "a" && s <= "z") || (s >= "A" && s <= "Z") || s == "_" {
                    // `main->queue`: a word stops before an arrow.
                    while i < scalars.count, isWordScalar(scalars[i]),
                          !(scalars[i] == "-" && i + 1 < scalars.count && scalars[i + 1] == ">") { i += 1 }
                    tokens.append(Token(kind: .word(String(String.UnicodeScalarView(scalars[start..<i]))), location: at(start)))
                } else {
                    let shown = s.properties.isWhitespace || s.value < 0x20 ? "U+\(String(s.value, radix: 16, uppercase: true))" : String(s)
                    diagnostics.append(.error(at(start), "unexpected character '\(shown)'"))
                    i += 1
                    // Skip the rest of a run of junk so one bad paste yields one error.
                    while i < scalars.count, !isWordScalar(scalars[i]), !" \t\"#,{}*=<>".unicodeScalars.contains(scalars[i]) { i += 1 }
                }
            }
        }
        return (tokens, diagnostics)
    }
}
