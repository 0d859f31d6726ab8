import Foundation
import ThroughlineCore

/// Writes log lines to a file descriptor from a thread of its own, so no call waits for the
/// log's reader.
///
/// Before, every line was one `write(2)` on the thread that logged it, the controller thread
/// most of all, and a reader that stopped reading (a stalled `journalctl`, a full pipe) would
/// have stopped every call with it. Asterisk's logger queues to a thread for the same reason.
/// (`perf` at 800 calls/s put 14 % of the controller thread's samples in those writes; its
/// CPU measured from `/proc` did not change beyond run-to-run spread with this writer:
/// BENCHMARKS.md, 2026-12-03, fifth sitting. The point is that nothing waits for the reader.)
///
/// `append` (any thread) adds the line to a buffer under a lock and wakes the writer, which
/// takes everything buffered and writes it in one go: one write a line when the controller is
/// quiet, one for many when it is busy. Lines keep their order. When more than `limit` bytes
/// wait (the reader has stopped), new lines are dropped and counted, and the writer says how
/// many with an `event=log.dropped` line once it can write again. The process flushes at
/// `exit` (`atexit`, for at most two seconds), so a line logged before the process ends is not
/// lost to the buffer; a crash can lose what the writer had not yet taken, microseconds'
/// worth unless the controller is busy.
final class LogWriter: @unchecked Sendable {
    /// The controller's standard error, flushed when the process exits.
    static let standardError: LogWriter = {
        let writer = LogWriter(fd: 2)
        atexit { LogWriter.standardError.flush(within: 2) }
        return writer
    }()

    private let fd: Int32
    private let limit: Int
    private let condition = NSCondition()
    private var pending: [UInt8] = []
    private var appended = 0   // lines appended so far
    private var written = 0    // lines written (or given up on) so far
    private var dropped = 0    // lines dropped since the last report

    /// `limit`: bytes that may wait for the reader before lines are dropped.
    init(fd: Int32, limit: Int = 8 << 20) {
        self.fd = fd
        self.limit = limit
        let thread = Thread { [unowned self] in self.run() }
        thread.name = "log-writer"
        thread.start()
    }

    /// Queues one line (without its newline). Called on any thread; never blocks on the reader.
    func append(_ line: String) {
        condition.withLock {
            guard pending.count < limit else {
                dropped += 1
                return
            }
            pending.append(contentsOf: line.utf8)
            pending.append(10)
            appended += 1
            condition.broadcast()
        }
    }

    /// Waits until every line appended before the call is written (or given up on, if the
    /// descriptor failed), or `seconds` have passed. Called on any thread but the writer's.
    func flush(within seconds: TimeInterval) {
        let deadline = Date().addingTimeInterval(seconds)
        condition.withLock {
            let target = appended
            while written < target, condition.wait(until: deadline) {}
        }
    }

    /// The writer thread: takes the buffer whole, writes it outside the lock, repeats.
    private func run() {
        while true {
            let (bytes, lines, lost): ([UInt8], Int, Int) = condition.withLock {
                while pending.isEmpty && dropped == 0 { condition.wait() }
                let taken = (pending, appended - written, dropped)
                pending = []
                pending.reserveCapacity(4096)
                dropped = 0
                return taken
            }
            if lost > 0 {
                let note = LogLine(.warning, "log.dropped", [("lines", String(lost)), ("reason", "the log's reader fell \(limit) bytes behind")])
                writeAll(Array((Logger.text(note) + "\n").utf8))
            }
            writeAll(bytes)
            condition.withLock {
                written += lines
                condition.broadcast()
            }
        }
    }

    /// `write(2)` until every byte is out or the descriptor fails (then the rest is given up).
    private func writeAll(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n > 0 {
                    offset += n
                } else if n < 0 && errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
    }
}
