extension UTCTimestamp {
    /// Unix milliseconds from `2026-11-30` (midnight UTC) or `2026-11-30T15:00Z`,
    /// `…T15:00:05Z`, `…T15:00:05.250Z` (UTC only, the `Z` required after a time); nil for
    /// anything else, or a date that does not exist.
    public static func parse(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int64? {
            guard range.upperBound <= bytes.count, !range.isEmpty else { return nil }
            var v: Int64 = 0
            for b in bytes[range] {
                guard b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") else { return nil }
                v = v * 10 + Int64(b - UInt8(ascii: "0"))
            }
            return v
        }
        guard bytes.count >= 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year) else { return nil }
        var ms = daysFromCivil(year: year, month: month, day: day) * 86_400_000
        guard bytes.count > 10 else { return ms }
        guard bytes[10] == UInt8(ascii: "T"), bytes.last == UInt8(ascii: "Z"), bytes.count >= 17, bytes[13] == UInt8(ascii: ":"),
              let hour = number(11..<13), let minute = number(14..<16), hour < 24, minute < 60 else { return nil }
        ms += hour * 3_600_000 + minute * 60_000
        let rest = Array(bytes[16..<(bytes.count - 1)])
        guard !rest.isEmpty else { return ms }
        guard rest.count >= 3, rest[0] == UInt8(ascii: ":"), let second = number(17..<19), second < 60 else { return nil }
        ms += second * 1000
        if rest.count == 3 { return ms }
        guard rest.count == 7, rest[3] == UInt8(ascii: "."), let fraction = number(20..<23) else { return nil }
        return ms + fraction
    }

    /// Days since 1970-01-01 (H. Hinnant's days-from-civil).
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
