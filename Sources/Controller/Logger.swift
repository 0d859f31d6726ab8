import Foundation
import ThroughlineCore

/// Writes structured log lines, one event a line, prefixed with a UTC timestamp.
///
/// Thread-safe: called from the controller thread and, for PJSIP's own messages, from PJSIP's
/// threads. Lines go to standard error, flushed at once (so a test or `journalctl` reading a
/// pipe sees each line as it happens).
public final class Logger: @unchecked Sendable {
    public let minimumLevel: LogLine.Level
    private let lock = NSLock()
    private let sink: @Sendable (String) -> Void

    /// `sink` receives each complete line without its newline; the default writes to stderr.
    public init(minimumLevel: LogLine.Level = .info, sink: (@Sendable (String) -> Void)? = nil) {
        self.minimumLevel = minimumLevel
        self.sink = sink ?? { line in
            // One write(2) per line: unbuffered, and whole lines even with several writers.
            var bytes = Array((line + "\n").utf8)
            var offset = 0
            while offset < bytes.count {
                let written = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress! + offset, $0.count - offset) }
                if written <= 0 { break }
                offset += written
            }
        }
    }

    public func log(_ line: LogLine) {
        guard line.level >= minimumLevel else { return }
        let text = "ts=\(Self.timestamp()) " + line.formatted()
        lock.lock()
        defer { lock.unlock() }
        sink(text)
    }

    public func log(_ level: LogLine.Level, _ event: String, _ fields: [(String, String)] = []) {
        log(LogLine(level, event, fields))
    }

    /// `2026-11-22T19:40:01.123Z`, from the wall clock (log lines are the shell's business).
    static func timestamp() -> String { timestamp(Date()) }

    /// A date as `2026-11-22T19:40:01.123Z`.
    public static func timestamp(_ date: Date) -> String {
        UTCTimestamp.string(unixMilliseconds: date.unixMilliseconds)
    }
}
