import Foundation

/// A job run every `interval` on a serial queue of its own, the first run at `start`: the
/// hand-off overdue watch, the campaign watch and the wallboard's builds. Never the
/// controller thread. `queue` is the job's queue, for callers that must not run beside it.
public final class RepeatingTimer: @unchecked Sendable {
    public let queue: DispatchQueue
    private let interval: DispatchTimeInterval
    private let job: @Sendable () -> Void
    private var source: DispatchSourceTimer?

    public init(label: String, interval: DispatchTimeInterval, job: @escaping @Sendable () -> Void) {
        queue = DispatchQueue(label: label)
        self.interval = interval
        self.job = job
    }

    /// Called once, by the runner.
    public func start() {
        let source = DispatchSource.makeTimerSource(queue: queue)
        source.schedule(deadline: .now(), repeating: interval)
        source.setEventHandler(handler: job)
        source.resume()
        self.source = source
    }

    public func stop() { source?.cancel() }
}
