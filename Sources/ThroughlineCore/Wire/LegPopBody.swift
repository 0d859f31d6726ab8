/// A desk's `answered` and `ended` events: the call, its reference (`null` if none) and, for
/// `ended`, the leg's final SIP code.
public struct LegPopBody: Codable, Sendable, Equatable {
    public var call: String
    @Nullable public var reference: String?
    public var code: Int?

    public init(call: String, reference: String?, code: Int? = nil) {
        self.call = call
        self.reference = reference
        self.code = code
    }
}
