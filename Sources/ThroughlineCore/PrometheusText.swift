/// The Prometheus text exposition format (version 0.0.4), built up metric by metric: each
/// metric's `# HELP` and `# TYPE` once, then its samples. Label values are escaped (`\`, `"`,
/// newline). Pure; `GET /metrics` fills it from the status board.
public struct PrometheusText: Sendable {
    public private(set) var text = ""

    public init() {}

    /// A gauge or counter with one sample per label set (no labels: one sample).
    public mutating func metric(_ name: String, _ type: String, help: String, _ samples: [([(String, String)], Double)]) {
        text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
        for (labels, value) in samples { text += "\(name)\(Self.labels(labels)) \(Self.number(value))\n" }
    }

    /// A histogram of seconds from `LatencyHistogram`s, one per label set.
    public mutating func histogram(_ name: String, help: String, _ series: [([(String, String)], LatencyHistogram)]) {
        text += "# HELP \(name) \(help)\n# TYPE \(name) histogram\n"
        for (labels, h) in series {
            for (bound, count) in zip(LatencyHistogram.bounds, h.cumulative) {
                text += "\(name)_bucket\(Self.labels(labels + [("le", Self.number(Double(bound) / 1e9))])) \(count)\n"
            }
            text += "\(name)_bucket\(Self.labels(labels + [("le", "+Inf")])) \(h.count)\n"
            text += "\(name)_sum\(Self.labels(labels)) \(Self.number(Double(h.sumNanoseconds) / 1e9))\n"
            text += "\(name)_count\(Self.labels(labels)) \(h.count)\n"
        }
    }

    static func labels(_ pairs: [(String, String)]) -> String {
        guard !pairs.isEmpty else { return "" }
        let escaped = pairs.map { key, value in
            var v = ""
            for c in value {
                switch c {
                case "\\": v += "\\\\"
                case "\"": v += "\\\""
                case "\n": v += "\\n"
                default: v.append(c)
                }
            }
            return "\(key)=\"\(v)\""
        }
        return "{" + escaped.joined(separator: ",") + "}"
    }

    /// Integers without a fraction; other values as Swift prints a Double.
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
