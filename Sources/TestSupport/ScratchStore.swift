import Foundation
import Store

/// The two engines the store runs on, as a test argument: every store test runs on each.
public enum StoreBackend: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite
    case postgresql

    public var description: String { rawValue }
}

/// A store of a test's own: a SQLite file in a scratch folder (removed when the test ends),
/// or a new database on the test process's PostgreSQL server. `open` opens it again as a
/// restarted controller (or a second node) would.
public final class ScratchStore {
    public let location: StoreLocation

    public init(_ backend: StoreBackend) throws {
        switch backend {
        case .sqlite:
            location = .folder(FileManager.default.temporaryDirectory.appendingPathComponent("throughline-store-\(UInt32.random(in: 0...UInt32.max))").path)
        case .postgresql:
            location = .postgresql(url: try PostgreSQLServer.shared().createDatabase())
        }
    }

    public func open(generator: any RandomNumberGenerator = SystemRandomNumberGenerator()) throws -> ReferenceStore {
        try ReferenceStore(location: location, generator: generator)
    }

    deinit {
        if case .folder(let folder) = location { try? FileManager.default.removeItem(atPath: folder) }
    }
}
