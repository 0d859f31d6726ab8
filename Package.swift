// swift-tools-version:6.0
// Throughline: a SIP IVR and queue controller over PJSIP. No package dependencies: the
// toolchain and system C libraries (pjproject through pkg-config) are all it builds on.
import PackageDescription

let package = Package(
    name: "Throughline",
    products: [
        .executable(name: "throughline", targets: ["throughline"]),
    ],
    targets: [
        // pjproject, as installed by scripts/setup (or a distribution's libpjproject-dev).
        .systemLibrary(
            name: "CPJSIP",
            pkgConfig: "libpjproject",
            providers: [.apt(["libpjproject-dev"])]
        ),
        // SQLite, as Debian's libsqlite3-dev installs it.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // PostgreSQL's client library, as Debian's libpq-dev installs it: the store several
        // nodes share (`--store postgresql://…`).
        .systemLibrary(name: "CPostgres", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        // The pure core: model, events, commands and the call state machines. No I/O, no
        // clock, no threads, no C: everything here is testable in microseconds.
        .target(name: "ThroughlineCore"),
        // The only module that imports CPJSIP: turns pjsua callbacks into events and commands
        // into pjsua calls.
        .target(name: "SIPAdapter", dependencies: ["CPJSIP", "ThroughlineCore"]),
        // References and their journeys in SQLite (WAL) or PostgreSQL, one versioned schema
        // migrated at open.
        .target(name: "Store", dependencies: ["CSQLite", "CPostgres", "ThroughlineCore"]),
        // HTTP/1.1 for the admin API and the agent desk: sockets and threads over the core's
        // pure request parser.
        .target(name: "HTTPServer", dependencies: ["ThroughlineCore"]),
        // The serial controller loop: owns the engines, applies events, executes commands
        // through a TelephonyPort. Knows nothing of PJSIP, so tests drive it with a fake port.
        .target(name: "Controller", dependencies: ["ThroughlineCore"]),
        // The HTTP API over the controller: admin resources, agent tokens, the agent desk page and
        // its event stream. Runs on HTTP threads; reaches the controller only through its event
        // queue and the thread-safe status board, pop hub and reference store.
        .target(name: "AdminHTTP", dependencies: ["Controller", "ThroughlineCore"]),
        // Argument parsing, signals and start-up: wires the adapter into the controller.
        .executableTarget(name: "throughline", dependencies: ["AdminHTTP", "Controller", "HTTPServer", "SIPAdapter", "Store", "ThroughlineCore"]),
        // `make bench`: micro-benchmarks of the pure core (plan parse and check, engines).
        .executableTarget(name: "ThroughlineBench", dependencies: ["Controller", "Store", "ThroughlineCore"]),
        // Fakes for the pure core's and the controller's unit tests (a telephony port that
        // records commands, a manual clock), and real engines for the store's: a scratch
        // SQLite file or a PostgreSQL server started for the test process.
        .target(name: "TestSupport", dependencies: ["ThroughlineCore", "Controller", "Store"]),
        .testTarget(name: "ThroughlineCoreTests", dependencies: ["ThroughlineCore", "TestSupport"]),
        // golden/: broken plans and the diagnostics `throughline check` must print for each.
        .testTarget(name: "StoreTests", dependencies: ["Store", "TestSupport", "ThroughlineCore"]),
        .testTarget(name: "ControllerTests", dependencies: ["Controller", "Store", "TestSupport", "ThroughlineCore"], exclude: ["golden"]),
        // Drives the real `throughline` binary with SIPp over loopback (and PostgreSQL, through
        // TestSupport's server, for nodes sharing a store).
        // Scenarios are read from the source tree (#filePath), next to the tests.
        .testTarget(name: "EndToEndTests", dependencies: ["ThroughlineCore", "TestSupport", "Store"], exclude: ["scenarios"]),
    ],
    swiftLanguageModes: [.v6]
)
