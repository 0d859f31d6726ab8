/// Any 4xx or 5xx answer: `{"error": "the reason"}` (written by `HTTPResponse.error`, which the
/// pure core escapes by hand; read with this type).
public struct ErrorBody: Codable, Sendable, Equatable {
    public var error: String
}
