/// A desk's `answered` and `ended` events: the call, its reference (`null` if none) and, for
/// `ended`, the leg's final SIP code.
public struct LegPopBody: Codable, Sendable, Equatable {
    public var call: String
    public var reference: String?
    public var code: Int?

    public init(call: String, reference: String?, code: Int? = nil) {
        self.call = call
        self.reference = reference
        self.code = code
    }

    enum CodingKeys: String, CodingKey { case call, reference, code }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(call, forKey: .call)
        try c.encode(reference, forKey: .reference)
        try c.encodeIfPresent(code, forKey: .code)
    }
}
