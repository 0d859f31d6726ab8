import Foundation
import Testing

extension EndToEnd {
    /// `make bench` only (THROUGHLINE_BENCH=1): key-to-next-prompt latency as callers hear
    /// it, over 100 calls, 10 at a time. Prints its figures and writes
    /// var/bench/ivr-latency.json; asserts only that every call completed, never a time.
    @Suite("Benchmark: key to next prompt", .enabled(if: ProcessInfo.processInfo.environment["THROUGHLINE_BENCH"] == "1"))
    struct LatencyBenchmark {
        @Test func keyToNextPromptOver100Calls() throws {
            let controller = try ControllerProcess(name: "bench-ivr", plan: TestPlan.menus)
            let batches = 10, perBatch = 10
            let measured = Measurements()
            for _ in 0..<batches {
                let receivers = try (0..<perBatch).map { _ in try RTPReceiver() }
                let csv = Repository.root.appendingPathComponent(".build/bench-ports-\(getpid()).csv")
                try ("SEQUENTIAL\n" + receivers.map { "\($0.port);" }.joined(separator: "\n") + "\n").write(to: csv, atomically: true, encoding: .utf8)
                let callers = try SIPpRun.start(scenario: "uac-listens-on-its-csv-port-then-hangs-up.xml", target: try controller.sipPort,
                                                calls: perBatch, pause: 7000, extra: ["-inf", csv.path, "-l", String(perBatch), "-r", "50"], timeLimit: 60)
                DispatchQueue.concurrentPerform(iterations: perBatch) { i in
                    let rtp = receivers[i]
                    guard rtp.wait(timeout: 10, until: { !$0.isEmpty }), rtp.waitForPromptEnd(),
                          let pressed = try? rtp.pressKey("2"), let heard = rtp.firstVoiced(after: pressed) else { return }
                    measured.add(heard.timeIntervalSince(pressed) * 1000)
                }
                let run = callers.wait()
                receivers.forEach { $0.stop() }
                try? FileManager.default.removeItem(at: csv)
                #expect(run.exitStatus == 0, "\(run.report)")
            }
            #expect(controller.stop() == 0)
            let sorted = measured.values.sorted()
            #expect(sorted.count == batches * perBatch, "only \(sorted.count) calls measured")
            func p(_ q: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * q))] }
            print(String(format: "key-to-next-prompt over %d calls (10 at a time), as the caller hears it: p50 %.1f ms, p99 %.1f ms, max %.1f ms",
                         sorted.count, p(0.5), p(0.99), sorted.last ?? 0))
            let folder = Repository.root.appendingPathComponent("var/bench")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let json: [String: Any] = ["calls": sorted.count, "key_to_prompt_ms_p50": p(0.5), "key_to_prompt_ms_p99": p(0.99), "key_to_prompt_ms_max": sorted.last ?? 0]
            try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys, .prettyPrinted]).write(to: folder.appendingPathComponent("ivr-latency.json"))
        }
    }
}

/// Values added from several threads at once.
final class Measurements: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [Double] = []
    func add(_ value: Double) { lock.withLock { stored.append(value) } }
    var values: [Double] { lock.withLock { stored } }
}
