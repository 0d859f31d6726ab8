@testable import Controller
import Foundation
import Testing

/// The log's own thread: lines reach the pipe whole and in order, and a reader that stops
/// reading costs the callers of `append` nothing but the lines past the limit, which are
/// counted and reported once the reader is back. Each test leaves its pipe open: a writer's
/// thread lives as long as the process and must never write to a descriptor reused by another.
@Suite("LogWriter", .timeLimit(.minutes(1)))
struct LogWriterTests {
    @Test func linesFromManyThreadsArriveWholeAndInEachThreadsOrder() throws {
        let (readEnd, writeEnd) = try Self.pipe()
        let writer = LogWriter(fd: writeEnd)
        let threads = 4, perThread = 5_000
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            for i in 0..<perThread { writer.append("event=test thread=\(t) n=\(i)") }
        }
        let lines = LineReader(readEnd).lines(threads * perThread, within: 30)
        #expect(lines.count == threads * perThread)
        var last = [Int](repeating: -1, count: threads)
        for line in lines {
            let fields = line.split(separator: " ")
            let t = Int(fields[1].dropFirst("thread=".count))!, n = Int(fields[2].dropFirst("n=".count))!
            #expect(n == last[t] + 1, "thread \(t): \(n) after \(last[t])")
            last[t] = n
        }
    }

    @Test func aReaderThatStopsReadingStallsNobodyAndHearsWhatWasDropped() throws {
        let (readEnd, writeEnd) = try Self.pipe()
        let writer = LogWriter(fd: writeEnd, limit: 256 << 10)
        let line = "event=test " + String(repeating: "x", count: 90)
        let total = 20_000  // 2 MB: 30 times the pipe's 64 KB, 8 times the limit
        // Nobody reads yet: with a write(2) a line this loop would block at the 700th line.
        for i in 0..<total { writer.append("\(line) n=\(i)") }

        // Read until every line is accounted for, written or reported dropped.
        let reader = LineReader(readEnd)
        var lines: [String] = [], dropped = 0
        let deadline = Date().addingTimeInterval(30)
        while lines.count + dropped < total, Date() < deadline {
            for line in reader.next(within: 0.1) {
                if let count = line.split(separator: " ").first(where: { $0.hasPrefix("lines=") }), line.contains("event=log.dropped") {
                    dropped += Int(count.dropFirst("lines=".count)) ?? 0
                } else {
                    lines.append(line)
                }
            }
        }
        #expect(dropped > 0)
        #expect(lines.count + dropped == total, "kept \(lines.count), dropped \(dropped)")
        // What was kept came in the order it was logged, and its first lines are the first
        // logged (the writer had them before the limit was reached).
        let numbers = lines.compactMap { $0.split(separator: "=").last.flatMap { Int($0) } }
        #expect(numbers.count == lines.count)
        #expect(zip(numbers, numbers.dropFirst()).allSatisfy { $0 < $1 })
        #expect(numbers.prefix(500) == Array(0..<500)[...])
    }

    /// A pipe; the read end non-blocking.
    private static func pipe() throws -> (Int32, Int32) {
        var fds: [Int32] = [0, 0]
        guard Glibc.pipe(&fds) == 0 else { throw CocoaError(.fileWriteUnknown) }
        _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
        return (fds[0], fds[1])
    }

    /// Whole lines from a non-blocking descriptor, however its reads cut them.
    private final class LineReader {
        let fd: Int32
        private var partial: [UInt8] = []
        private var buffer = [UInt8](repeating: 0, count: 65_536)
        init(_ fd: Int32) { self.fd = fd }

        /// The lines that have come whole so far, waiting at most `seconds` for the first.
        func next(within seconds: TimeInterval) -> [String] {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                let n = Glibc.read(fd, &buffer, buffer.count)
                guard n > 0 else { usleep(1_000); continue }
                partial.append(contentsOf: buffer[0..<n])
                guard let end = partial.lastIndex(of: 10) else { continue }
                let whole = String(decoding: partial[...end], as: UTF8.self)
                partial.removeSubrange(...end)
                return whole.split(separator: "\n").map(String.init)
            }
            return []
        }

        /// Reads until `count` lines have come or `seconds` have passed.
        func lines(_ count: Int, within seconds: TimeInterval) -> [String] {
            var lines: [String] = []
            let deadline = Date().addingTimeInterval(seconds)
            while lines.count < count, Date() < deadline { lines += next(within: 0.1) }
            return lines
        }
    }
}
