/// A number a call-back may be placed to, written as Asterisk writes extension patterns:
/// `"5551234"` is that number only; `"_1NXXNXXXXXX"` starts with `_` and then matches one
/// character per letter: `X` any digit, `Z` 1-9, `N` 2-9, `[1-5]` or `[137]` one of those,
/// `.` one or more of anything left, `!` zero or more; anything else (digits, `+`) itself.
/// Read by the dialplan parser (`callback-numbers`); matched when a caller confirms a number.
public struct CallbackNumberPattern: Sendable, Hashable, CustomStringConvertible {
    public struct Failure: Error, Sendable {
        public let why: String
    }

    enum Element: Sendable, Hashable {
        case literal(Character)
        case set(Set<Character>)
        /// `.` (at least one) and `!` (none or more): the rest of the number.
        case rest(atLeastOne: Bool)
    }

    public let text: String
    let elements: [Element]

    public init(_ text: String) throws(Failure) {
        self.text = text
        guard !text.isEmpty, text.count <= 40 else { throw Failure(why: "a pattern is 1 to 40 characters") }
        guard text.hasPrefix("_") else {
            guard text.allSatisfy(Self.isNumberCharacter) else {
                throw Failure(why: "a number is digits with an optional leading '+' (start with '_' for a pattern)")
            }
            elements = text.map(Element.literal)
            return
        }
        var elements: [Element] = []
        var characters = Array(text.dropFirst())[...]
        while let c = characters.popFirst() {
            switch c {
            case "X", "x": elements.append(.set(Set("0123456789")))
            case "Z", "z": elements.append(.set(Set("123456789")))
            case "N", "n": elements.append(.set(Set("23456789")))
            case ".", "!":
                guard characters.isEmpty else { throw Failure(why: "'\(c)' matches the rest of the number, so it comes last") }
                elements.append(.rest(atLeastOne: c == "."))
            case "[":
                guard let close = characters.firstIndex(of: "]") else { throw Failure(why: "'[' without its ']'") }
                let inside = Array(characters[..<close])
                characters = characters[(close + 1)...]
                var set = Set<Character>()
                var i = 0
                while i < inside.count {
                    if i + 2 < inside.count, inside[i + 1] == "-", let lo = inside[i].wholeNumberValue, let hi = inside[i + 2].wholeNumberValue, lo <= hi {
                        for d in lo ... hi { set.insert(Character(String(d))) }
                        i += 3
                    } else {
                        guard inside[i].isASCII, inside[i].isNumber else { throw Failure(why: "a set holds digits and ranges such as [1-5]") }
                        set.insert(inside[i])
                        i += 1
                    }
                }
                guard !set.isEmpty else { throw Failure(why: "an empty set []") }
                elements.append(.set(set))
            default:
                guard Self.isNumberCharacter(c) else { throw Failure(why: "'\(c)' is not X, Z, N, [set], '.', '!', a digit or '+'") }
                elements.append(.literal(c))
            }
        }
        guard !elements.isEmpty else { throw Failure(why: "'_' with nothing after it") }
        self.elements = elements
    }

    static func isNumberCharacter(_ c: Character) -> Bool { c.isASCII && (c.isNumber || c == "+") }

    /// Whether `number` (digits, perhaps a leading `+`) is one the pattern allows.
    public func matches(_ number: String) -> Bool {
        var characters = number[...]
        for element in elements {
            switch element {
            case .literal(let c):
                guard characters.popFirst() == c else { return false }
            case .set(let set):
                guard let c = characters.popFirst(), set.contains(c) else { return false }
            case .rest(let atLeastOne):
                return !atLeastOne || !characters.isEmpty
            }
        }
        return characters.isEmpty
    }

    public var description: String { text }
}
