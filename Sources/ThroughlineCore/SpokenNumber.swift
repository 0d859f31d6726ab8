/// Numbers, digits and durations said from prompt fragments: `digit-0` … `digit-9`,
/// `number-10` … `number-19`, `number-20` … `number-90`, `hundred`, `thousand`, and the unit
/// words `second(s)`, `minute(s)`, `hour(s)` (all in prompts/en).
public enum SpokenNumber {
    /// Each digit in turn (references, phone numbers): "4821" → digit-4 digit-8 digit-2 digit-1.
    public static func digits(_ text: String) -> [String] {
        text.compactMap { $0.isASCII && $0.isNumber ? "digit-\($0)" : nil }
    }

    /// A whole number as words, 0 to 999,999: 42 → number-40 digit-2; 115 → digit-1 hundred
    /// number-15; 2005 → digit-2 thousand digit-5.
    public static func number(_ n: Int) -> [String] {
        precondition(n >= 0 && n < 1_000_000, "SpokenNumber.number takes 0...999999")
        if n == 0 { return ["digit-0"] }
        var parts: [String] = []
        if n >= 1000 { parts += belowThousand(n / 1000) + ["thousand"] }
        parts += belowThousand(n % 1000)
        return parts
    }

    private static func belowThousand(_ n: Int) -> [String] {
        var parts: [String] = []
        if n >= 100 { parts += ["digit-\(n / 100)", "hundred"] }
        let rest = n % 100
        switch rest {
        case 0: break
        case 1...9: parts.append("digit-\(rest)")
        case 10...19: parts.append("number-\(rest)")
        default:
            parts.append("number-\(rest / 10 * 10)")
            if rest % 10 != 0 { parts.append("digit-\(rest % 10)") }
        }
        return parts
    }

    /// A wait as a caller wants to hear it: under 90 s in seconds (rounded to 5 s, at least
    /// 5); under 90 minutes in whole minutes; else hours and minutes. 1 is singular.
    public static func duration(_ d: Duration) -> [String] {
        let seconds = Int(d.components.seconds)
        if seconds < 90 {
            let s = max(5, (seconds + 2) / 5 * 5)
            return number(s) + ["seconds"]
        }
        let minutes = (seconds + 30) / 60
        if minutes < 90 { return number(minutes) + [minutes == 1 ? "minute" : "minutes"] }
        let hours = minutes / 60, rest = minutes % 60
        var parts = number(hours) + [hours == 1 ? "hour" : "hours"]
        if rest > 0 { parts += ["and"] + number(rest) + [rest == 1 ? "minute" : "minutes"] }
        return parts
    }
}
