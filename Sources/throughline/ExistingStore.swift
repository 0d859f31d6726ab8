import Foundation
import Store

/// The store a reading command (`ref`, `handoffs`, `report`) works on: `DATA/throughline.sqlite`,
/// which must exist already (such a command never creates an empty store where the controller
/// has none), or the PostgreSQL database `--store` names. SQLite in WAL mode lets it read while
/// the controller writes; PostgreSQL lets any number of readers in.
enum ExistingStore {
    /// Why it cannot be opened; the command exits 73 with the message.
    struct Failure: Error {
        let message: String
    }

    static func open(data: String, store: String?) throws(Failure) -> ReferenceStore {
        let location = StoreLocation(store: store, data: data)
        if case .folder = location, !FileManager.default.fileExists(atPath: location.description) {
            throw Failure(message: "no store at \(location) (is --data the controller's data folder?)")
        }
        do {
            return try ReferenceStore(location: location)
        } catch {
            throw Failure(message: "cannot open \(location): \(error)")
        }
    }
}
