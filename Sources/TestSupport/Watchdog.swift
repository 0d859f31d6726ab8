import Foundation

/// What stops a server a test started once the test process has gone, however it ended (a
/// crash, a timeout's SIGKILL): a shell in its own session that polls this process and then
/// runs `cleanup`. Used by `PostgreSQLServer` and the end-to-end suites' Kamailio.
public enum Watchdog {
    /// Starts the shell; returns at once. `cleanup` is a `/bin/sh` command line.
    public static func afterThisProcess(run cleanup: String) {
        let script = "while kill -0 \(getpid()) 2>/dev/null; do sleep 0.5; done; \(cleanup)"
        let watchdog = Process()
        watchdog.executableURL = URL(fileURLWithPath: "/usr/bin/setsid")
        watchdog.arguments = ["/bin/sh", "-c", script]
        watchdog.standardOutput = FileHandle.nullDevice
        watchdog.standardError = FileHandle.nullDevice
        try? watchdog.run()
    }
}
