import TestSupport
import Testing
import ThroughlineCore

@Suite("Reference numbers and the Damm check digit")
struct ReferenceNumberTests {
    @Test func knownCheckDigits() {
        // Damm's worked example: 572 has check digit 4.
        #expect(Damm.checkDigit([5, 7, 2]) == 4)
        #expect(Damm.isValid([5, 7, 2, 4]))
        #expect(!Damm.isValid([5, 7, 2, 5]))
    }

    /// Every single-digit error and every swap of neighbours, on many references, is caught.
    @Test func catchesEverySingleDigitErrorAndEveryAdjacentSwap() throws {
        var rng = SeededGenerator(seed: 3715)
        for _ in 0..<2_000 {
            let reference = ReferenceNumber.random(using: &rng)
            let digits = reference.digits.compactMap { $0.wholeNumberValue.map(UInt8.init) }
            #expect(Damm.isValid(digits))
            for position in 0..<10 {
                for wrong in 0...9 where UInt8(wrong) != digits[position] {
                    var typo = digits
                    typo[position] = UInt8(wrong)
                    #expect(!Damm.isValid(typo), "\(reference): digit \(position) as \(wrong) not caught")
                }
            }
            for position in 0..<9 where digits[position] != digits[position + 1] {
                var swapped = digits
                swapped.swapAt(position, position + 1)
                #expect(!Damm.isValid(swapped), "\(reference): swap at \(position) not caught")
            }
        }
    }

    @Test func parsesWhatCallersAndAgentsTypeAndRefusesTheRestBeforeLookup() throws {
        var rng = SeededGenerator(seed: 1)
        let reference = ReferenceNumber.random(using: &rng)
        #expect(reference.description.count == 12)
        let d = reference.digits
        #expect(reference.description == "\(d.prefix(3))-\(d.dropFirst(3).prefix(3))-\(d.dropFirst(6))")
        #expect(try ReferenceNumber(parsing: reference.description) == reference)
        #expect(try ReferenceNumber(parsing: reference.digits) == reference)
        #expect(throws: ReferenceNumber.Problem.wrongLength(9)) { try ReferenceNumber(parsing: String(reference.digits.dropLast())) }
        #expect(throws: ReferenceNumber.Problem.notDigits) { try ReferenceNumber(parsing: "12345678x0") }
        var digits = Array(reference.digits)
        digits[9] = digits[9] == "0" ? "1" : "0"
        #expect(throws: ReferenceNumber.Problem.checkDigitMismatch) { try ReferenceNumber(parsing: String(digits)) }
    }
}
