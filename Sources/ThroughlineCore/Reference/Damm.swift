/// The Damm check digit (H. Michael Damm, 2004): one digit that catches every single-digit
/// error and every swap of adjacent digits, which is why reference numbers use it.
public enum Damm {
    /// The weakly totally anti-symmetric quasigroup of order 10 from Damm's thesis.
    static let table: [[UInt8]] = [
        [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
        [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
        [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
        [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
        [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
        [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
        [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
        [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
        [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
        [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
    ]

    /// The check digit for `digits` (each 0–9).
    public static func checkDigit(_ digits: [UInt8]) -> UInt8 {
        digits.reduce(0) { interim, digit in table[Int(interim)][Int(digit)] }
    }

    /// True when the last digit is the check digit of the others.
    public static func isValid(_ digits: [UInt8]) -> Bool {
        !digits.isEmpty && checkDigit(digits) == 0
    }
}
