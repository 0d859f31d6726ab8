/// `2026-11-22T19:40:01.123Z` (ISO 8601, UTC, milliseconds) from Unix time in milliseconds:
/// log lines, journey events, records and pops. Plain arithmetic (the civil-from-days
/// algorithm of H. Hinnant), because creating a Foundation `ISO8601DateFormatter` costs tens
/// of microseconds of ICU set-up, which made it the controller's first bottleneck under load.
public enum UTCTimestamp {
    public static func string(unixMilliseconds ms: Int64) -> String {
        let days = ms >= 0 ? ms / 86_400_000 : (ms - 86_399_999) / 86_400_000
        let inDay = ms - days * 86_400_000
        // Days since 1970-01-01 to year, month, day (proleptic Gregorian).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        var out = [UInt8]()
        out.reserveCapacity(24)
        func digits(_ value: Int64, _ width: Int) {
            var buffer = [UInt8](repeating: UInt8(ascii: "0"), count: width)
            var v = value
            for i in stride(from: width - 1, through: 0, by: -1) {
                buffer[i] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
            }
            out += buffer
        }
        digits(year, 4); out.append(UInt8(ascii: "-"))
        digits(month, 2); out.append(UInt8(ascii: "-"))
        digits(day, 2); out.append(UInt8(ascii: "T"))
        digits(inDay / 3_600_000, 2); out.append(UInt8(ascii: ":"))
        digits(inDay / 60_000 % 60, 2); out.append(UInt8(ascii: ":"))
        digits(inDay / 1000 % 60, 2); out.append(UInt8(ascii: "."))
        digits(inDay % 1000, 3); out.append(UInt8(ascii: "Z"))
        return String(decoding: out, as: UTF8.self)
    }
}
