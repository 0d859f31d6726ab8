import Foundation
import Store

/// The store a reading command (`ref`, `handoffs`, `report`) works on: `DATA/throughline.sqlite`,
/// which must exist already (such a command never creates an empty store where the controller
/// has none). SQLite in WAL mode lets it read while the controller writes.
enum ExistingStore {
    /// Why it cannot be opened; the command exits 73 with the message.
    struct Failure: Error {
        let message: String
    }

    static func open(data: String) throws(Failure) -> ReferenceStore {
        let path = data + "/throughline.sqlite"
        guard FileManager.default.fileExists(atPath: path) else {
            throw Failure(message: "no store at \(path) (is --data the controller's data folder?)")
        }
        do {
            return try ReferenceStore(folder: data)
        } catch {
            throw Failure(message: "cannot open \(path): \(error)")
        }
    }
}
