import Foundation
import ThroughlineCore

/// Writes the durable record of queue events off the call path: the controller thread hands
/// each event over (a lock and an append, never a wait on the disk), and a writer queue of its
/// own commits them to the store in batches and appends them to `DATA/queue_log`, Asterisk's
/// format (`epoch|callid|queue|agent|EVENT|data…`), so supervisors' queue_log tools read it.
/// A write failure is logged; the calls go on.
public final class QueueRecorder: @unchecked Sendable {
    private let book: QueueEventBook
    private let logger: Logger
    private let queueLog: FileHandle?
    private let writer = DispatchQueue(label: "throughline.queue-record")
    private let lock = NSLock()
    private var pending: [RecordedQueueEvent] = []
    /// Events per store transaction.
    static let chunk = 100

    /// `queueLogPath`: the queue_log file, created if missing and appended to.
    public init(book: QueueEventBook, queueLogPath: String?, logger: Logger) {
        self.book = book
        self.logger = logger
        if let path = queueLogPath {
            if !FileManager.default.fileExists(atPath: path) { FileManager.default.createFile(atPath: path, contents: nil) }
            queueLog = FileHandle(forWritingAtPath: path)
            _ = try? queueLog?.seekToEnd()
            if queueLog == nil { logger.log(.error, "record.failed", [("why", "cannot open the queue_log file"), ("path", path)]) }
        } else {
            queueLog = nil
        }
    }

    /// Takes one event, stamped `at` (Unix milliseconds). Called on the controller thread.
    public func record(_ record: QueueRecord, at: Int64) {
        let first = lock.withLock {
            pending.append(RecordedQueueEvent(at: at, record: record))
            return pending.count == 1
        }
        if first { writer.async { self.flush() } }
    }

    /// Returns once everything recorded so far is written. Called at shutdown and by tests.
    public func drain() { writer.sync {} }

    /// Writes what is pending, in one transaction. On the writer queue.
    private func flush() {
        let batch: [RecordedQueueEvent] = lock.withLock {
            defer { pending.removeAll(keepingCapacity: true) }
            return pending
        }
        guard !batch.isEmpty else { return }
        // In transactions of at most `chunk` events: the store's lock is the controller's too
        // (its journey writes), so no write here holds it for long.
        for start in stride(from: 0, to: batch.count, by: Self.chunk) {
            let part = Array(batch[start..<min(start + Self.chunk, batch.count)])
            do {
                try book.appendQueueEvents(part)
            } catch {
                logger.log(.error, "record.failed", [("events", String(part.count)), ("error", "\(error)")])
            }
        }
        guard let queueLog else { return }
        let text = batch.map { $0.record.queueLogLine(epochSeconds: $0.at / 1000) + "\n" }.joined()
        do {
            try queueLog.write(contentsOf: Data(text.utf8))
        } catch {
            logger.log(.error, "record.failed", [("why", "cannot append to the queue_log file"), ("error", "\(error)")])
        }
    }
}
