import Testing
import ThroughlineCore

/// `GET /metrics`'s format: Prometheus text exposition, checked line by line.
@Suite("Prometheus text")
struct PrometheusTextTests {
    @Test func gaugesCountersAndEscapedLabels() {
        var out = PrometheusText()
        out.metric("throughline_calls_up", "gauge", help: "Calls up now.", [([], 3)])
        out.metric("throughline_queue_waiting", "gauge", help: "Waiting.", [([("queue", "sales")], 2), ([("queue", "a\"b\\c\nd")], 0.5)])
        #expect(out.text == """
        # HELP throughline_calls_up Calls up now.
        # TYPE throughline_calls_up gauge
        throughline_calls_up 3
        # HELP throughline_queue_waiting Waiting.
        # TYPE throughline_queue_waiting gauge
        throughline_queue_waiting{queue="sales"} 2
        throughline_queue_waiting{queue="a\\"b\\\\c\\nd"} 0.5

        """)
    }

    @Test func histogramBucketsAreCumulativeWithSumAndCount() {
        var h = LatencyHistogram()
        for ns: UInt64 in [100_000, 300_000, 800_000, 3_000_000, 2_000_000_000] { h.record(ns) }
        #expect(h.count == 5 && h.cumulative.prefix(4) == [1, 2, 3, 3] && h.cumulative.last == 4)  // 2 s is past the last bound
        var out = PrometheusText()
        out.histogram("x_seconds", help: "X.", [([("trigger", "key")], h)])
        let lines = out.text.split(separator: "\n").map(String.init)
        #expect(lines.contains("x_seconds_bucket{trigger=\"key\",le=\"0.00025\"} 1"))
        #expect(lines.contains("x_seconds_bucket{trigger=\"key\",le=\"1\"} 4"))
        #expect(lines.contains("x_seconds_bucket{trigger=\"key\",le=\"+Inf\"} 5"))
        #expect(lines.contains("x_seconds_sum{trigger=\"key\"} 2.0042"))
        #expect(lines.contains("x_seconds_count{trigger=\"key\"} 5"))
        #expect(lines[1] == "# TYPE x_seconds histogram")
    }
}
