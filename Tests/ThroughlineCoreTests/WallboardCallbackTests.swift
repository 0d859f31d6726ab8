import Foundation
import Testing
import ThroughlineCore

/// The wallboard's queue tiles and their call backs (the JSON a TV's page draws them from).
@Suite("Wallboard: call backs on the queue tiles")
struct WallboardCallbackTests {
    /// A queue's tile carries its call backs as the status board has them (pending now, and
    /// placed, connected, given up since start); a queue without any shows zeros.
    @Test func queueTilesCarryTheirCallBacks() throws {
        var inputs = WallboardTests.inputs(WallboardTests.plan())
        inputs.callbacks = ["sales": CallbackCounts(pending: 2, placed: 3, connected: 1, failed: 1)]
        let board = WallboardBuilder.build(inputs)
        #expect(board.queues.first { $0.name == "sales" }?.callbacks == CallbackCounts(pending: 2, placed: 3, connected: 1, failed: 1))
        #expect(board.queues.filter { $0.name != "sales" }.allSatisfy { $0.callbacks == CallbackCounts() })
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = try encoder.encode(board.queues.first { $0.name == "sales" }!)
        #expect(String(decoding: json, as: UTF8.self).contains("\"callbacks\":{\"connected\":1,\"failed\":1,\"pending\":2,\"placed\":3}"))
    }

}
