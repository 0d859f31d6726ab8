/// `GET /api/calls`: the calls up, how many were handled since start, agent legs up.
public struct CallListBody: Codable, Sendable, Equatable {
    public var calls: [CallBody]
    public var handled: Int
    public var legs: Int

    public init(calls: [CallBody], handled: Int, legs: Int) {
        self.calls = calls
        self.handled = handled
        self.legs = legs
    }
}
