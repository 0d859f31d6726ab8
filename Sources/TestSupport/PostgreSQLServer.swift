import Foundation

/// A real PostgreSQL server for tests: Debian's `postgresql` binaries, a cluster made with
/// `initdb` in a temporary folder, listening on a free loopback port (and a socket in that
/// folder), trust authentication for the `throughline` role. One per test process, started
/// by the first test that asks (`shared`); each test makes a database of its own.
///
/// PostgreSQL refuses to run as root, so under root the cluster belongs to the `postgres`
/// user and its commands run through `runuser`. A watchdog (a shell started with the server)
/// stops the server and removes its folder once the test process has gone, however it ended:
/// tests start it and nothing outlives them. The server writes its log to `server.log` there.
public final class PostgreSQLServer: @unchecked Sendable {
    public let port: Int
    let folder: String
    let bin: String
    private let lock = NSLock()
    private var databases = 0

    /// Why a server could not be started; the message says what is missing.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The test process's server, started on first use. Throws (failing the test, never
    /// skipping it) when PostgreSQL is not installed or will not start.
    public static func shared() throws -> PostgreSQLServer {
        try sharedResult.get()
    }
    private static let sharedResult = Result<PostgreSQLServer, Error> { try PostgreSQLServer() }

    /// A server of the caller's own, for a test that stops and starts it (the store lost
    /// while a controller runs); others share `shared()`.
    public static func start() throws -> PostgreSQLServer { try PostgreSQLServer() }

    private init() throws {
        guard let bin = Self.binaries() else {
            throw Failure(description: "PostgreSQL's server binaries are not installed (Debian's postgresql; scripts/setup installs it)")
        }
        self.bin = bin
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("throughline-pg-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let owner = getuid() == 0 ? Self.postgresUser() : nil
        if getuid() == 0 {
            guard let owner else { throw Failure(description: "running as root and there is no postgres user to run PostgreSQL as") }
            chown(folder, owner.uid, owner.gid)
        }
        port = try Self.freePort()
        try run(["\(bin)/initdb", "-D", data, "-A", "trust", "-U", "throughline", "-E", "UTF8", "--locale=C", "--no-sync"])
        startWatchdog()
        try resume()
    }

    var data: String { folder + "/data" }

    /// Starts the server (again, after `stop`) on the same port and waits until it takes
    /// connections, within 30 s.
    ///
    /// In the foreground, not through `pg_ctl start`: Foundation's Process learns that a
    /// child ended from a descriptor the child holds, and a server that pg_ctl left behind
    /// would hold it for ever. Durability is off: a test database needs none, and fsync on
    /// every commit is most of a store test's time.
    public func resume() throws {
        let server = Process()
        server.executableURL = URL(fileURLWithPath: getuid() == 0 ? "/usr/sbin/runuser" : "\(bin)/postgres")
        server.arguments = (getuid() == 0 ? ["-u", "postgres", "--", "\(bin)/postgres"] : [])
            + ["-D", data, "-c", "listen_addresses=127.0.0.1", "-p", "\(port)", "-k", folder, "-c", "fsync=off",
               "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=200"]
        server.standardInput = FileHandle.nullDevice
        if !FileManager.default.fileExists(atPath: folder + "/server.log") {
            FileManager.default.createFile(atPath: folder + "/server.log", contents: nil)
        }
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: folder + "/server.log"))
        log.seekToEndOfFile()
        server.standardOutput = log
        server.standardError = log
        try server.run()
        for _ in 0..<300 {
            if try exitStatus(of: ["/usr/bin/pg_isready", "-q", "-h", "127.0.0.1", "-p", "\(port)"]) == 0 { return }
            guard server.isRunning else { break }
            usleep(100_000)
        }
        let text = (try? String(contentsOfFile: folder + "/server.log", encoding: .utf8)) ?? ""
        throw Failure(description: "PostgreSQL did not start on 127.0.0.1:\(port): \(text)")
    }

    /// Stops the server (fast: connections are cut, as when a database host goes away).
    public func stop() throws {
        try run(["\(bin)/pg_ctl", "stop", "-D", data, "-m", "fast", "-w"])
    }

    /// A new, empty database on this server, and the URL the store opens it with.
    public func createDatabase() throws -> String {
        let name = lock.withLock { databases += 1; return "t\(databases)" }
        try run(["\(bin)/psql", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", "\(port)", "-U", "throughline", "-d", "postgres",
                 "-c", "CREATE DATABASE \(name)"])
        return url(database: name)
    }

    public func url(database: String) -> String { "postgresql://throughline@127.0.0.1:\(port)/\(database)" }

    /// The highest installed major version's binaries (Debian puts them under
    /// /usr/lib/postgresql/N/bin, off the PATH).
    static func binaries() -> String? {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).compactMap(Int.init).sorted()
        return versions.reversed().map { "\(root)/\($0)/bin" }.first { FileManager.default.isExecutableFile(atPath: $0 + "/postgres") }
    }

    static func postgresUser() -> (uid: uid_t, gid: gid_t)? {
        guard let entry = getpwnam("postgres") else { return nil }
        return (entry.pointee.pw_uid, entry.pointee.pw_gid)
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Bool in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw Failure(description: "no free loopback port: \(String(cString: strerror(errno)))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Runs a PostgreSQL command (as the postgres user under root) and waits; its output is
    /// read for the error only if it fails (Foundation's `String(contentsOfFile:)` leaks its
    /// buffer under LeakSanitizer, so a passing run reads nothing). The output goes to a file,
    /// not a pipe: a server left running would hold a pipe open.
    func run(_ command: [String]) throws {
        let outputPath = folder + "/command-\(UInt32.random(in: 0...UInt32.max)).out"
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        let status = try exitStatus(of: command, outputPath: outputPath)
        guard status == 0 else {
            let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
            throw Failure(description: "\(command.joined(separator: " ")) exited \(status): \(text)")
        }
    }

    /// Runs `command` to its end, its output in `outputPath` (or nowhere), and returns its
    /// exit status.
    func exitStatus(of command: [String], outputPath: String? = nil) throws -> Int32 {
        var output = FileHandle.nullDevice
        if let outputPath {
            FileManager.default.createFile(atPath: outputPath, contents: nil)
            output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        }
        defer { if outputPath != nil { try? output.close() } }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: getuid() == 0 ? "/usr/sbin/runuser" : command[0])
        process.arguments = getuid() == 0 ? ["-u", "postgres", "--"] + command : Array(command.dropFirst())
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = output
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// A shell that waits for this process to end, then stops the server (immediate mode:
    /// nothing in a test database needs keeping) and removes the folder.
    private func startWatchdog() {
        let stop = (getuid() == 0 ? "runuser -u postgres -- " : "") + "'\(bin)/pg_ctl' stop -D '\(data)' -m immediate -w >/dev/null 2>&1"
        Watchdog.afterThisProcess(run: "\(stop); rm -rf '\(folder)'")
    }
}
