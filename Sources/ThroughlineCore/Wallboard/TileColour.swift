/// A wallboard tile's colour: what a supervisor across the room reads first. Ordered, so a
/// department takes the worst of its queues.
public enum TileColour: String, Sendable, Hashable, Comparable, Codable {
    case ok, warn, alarm

    public static func < (a: TileColour, b: TileColour) -> Bool {
        let order: [TileColour] = [.ok, .warn, .alarm]
        return order.firstIndex(of: a)! < order.firstIndex(of: b)!
    }
}
