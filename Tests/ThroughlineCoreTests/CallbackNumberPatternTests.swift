import Testing
import ThroughlineCore

/// `callback-numbers` patterns read as Asterisk reads extension patterns.
@Suite("Callback number patterns")
struct CallbackNumberPatternTests {
    @Test(arguments: [
        ("5551234", "5551234", true), ("5551234", "55512345", false), ("5551234", "555123", false),
        ("_1NXXNXXXXXX", "12125551234", true), ("_1NXXNXXXXXX", "11125551234", false), ("_1NXXNXXXXXX", "1212555123", false),
        ("_555XXXX", "5559876", true), ("_555XXXX", "5559876x", false), ("_Z.", "7", false), ("_Z.", "71", true), ("_Z!", "7", true),
        ("_+44.", "+442071234567", true), ("_+44.", "442071234567", false), ("_[2-4]X", "31", true), ("_[2-4]X", "51", false),
        ("_[137]X", "71", true), ("_[137]X", "21", false),
    ])
    func matches(_ pattern: String, _ number: String, _ expected: Bool) throws {
        #expect(try CallbackNumberPattern(pattern).matches(number) == expected)
    }

    @Test(arguments: [
        ("", "a pattern is 1 to 40 characters"), ("555-1234", "a number is digits with an optional leading '+' (start with '_' for a pattern)"),
        ("_", "'_' with nothing after it"), ("_X.X", "'.' matches the rest of the number, so it comes last"),
        ("_[12", "'[' without its ']'"), ("_[]", "an empty set []"), ("_Q", "'Q' is not X, Z, N, [set], '.', '!', a digit or '+'"),
    ])
    func badPatternsSayWhy(_ pattern: String, _ why: String) {
        #expect(throws: CallbackNumberPattern.Failure.self) { try CallbackNumberPattern(pattern) }
        do { _ = try CallbackNumberPattern(pattern) } catch { #expect(error.why == why) }
    }
}
