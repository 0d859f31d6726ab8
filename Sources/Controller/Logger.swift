import Foundation
import ThroughlineCore

/// Writes structured log lines, one event a line, prefixed with a UTC timestamp.
///
/// Thread-safe: called from the controller thread and, for PJSIP's own messages, from PJSIP's
/// threads. Lines go to standard error through `LogWriter`, whose thread writes each as soon
/// as it is logged (so a test or `journalctl` reading a pipe sees it as it happens) without
/// the logging thread waiting for the reader.
public final class Logger: @unchecked Sendable {
    public let minimumLevel: LogLine.Level
    private let lock = NSLock()
    private let sink: @Sendable (String) -> Void

    /// `sink` receives each complete line without its newline; the default writes to stderr.
    public init(minimumLevel: LogLine.Level = .info, sink: (@Sendable (String) -> Void)? = nil) {
        self.minimumLevel = minimumLevel
        self.sink = sink ?? { line in LogWriter.standardError.append(line) }
    }

    public func log(_ line: LogLine) {
        guard line.level >= minimumLevel else { return }
        let text = Self.text(line)
        lock.lock()
        defer { lock.unlock() }
        sink(text)
    }

    public func log(_ level: LogLine.Level, _ event: String, _ fields: [(String, String)] = []) {
        log(LogLine(level, event, fields))
    }

    /// The line as written: the wall clock's timestamp, then the line's fields.
    static func text(_ line: LogLine) -> String { "ts=\(timestamp()) " + line.formatted() }

    /// `2026-11-22T19:40:01.123Z`, from the wall clock (log lines are the shell's business).
    static func timestamp() -> String { timestamp(Date()) }

    /// A date as `2026-11-22T19:40:01.123Z`.
    public static func timestamp(_ date: Date) -> String {
        UTCTimestamp.string(unixMilliseconds: date.unixMilliseconds)
    }
}
