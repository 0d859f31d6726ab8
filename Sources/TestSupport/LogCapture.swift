import Controller
import Foundation
import ThroughlineCore

/// Collects a `Logger`'s lines in memory so a test can read what an admin would see.
public final class LogCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []

    public init() {}

    /// A logger at `level` writing into this capture.
    public func logger(level: LogLine.Level = .debug) -> Logger {
        Logger(minimumLevel: level) { [self] line in
            lock.withLock { stored.append(line) }
        }
    }

    public var lines: [String] { lock.withLock { stored } }

    /// Lines that carry `event=NAME`.
    public func lines(event: String) -> [String] {
        lines.filter { $0.contains(" event=\(event) ") || $0.hasSuffix(" event=\(event)") }
    }
}
