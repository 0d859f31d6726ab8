import Foundation

/// The one place JSON encoders and decoders are configured, for every typed body the product
/// sends or reads (`ThroughlineCore/Wire/`). Streams and the webhook get compact JSON in the
/// field order each type writes; API documents are pretty-printed with sorted keys, for people
/// and `diff`. Slashes are never escaped (URLs stay readable). Safe from any thread: each call
/// makes its own encoder.
public enum WireJSON {
    /// One line: SSE `data:` lines, webhook bodies.
    public static func compact<T: Encodable>(_ value: T) -> [UInt8] {
        encode(value, [.withoutEscapingSlashes])
    }

    /// An API response document, ending in a newline.
    public static func document<T: Encodable>(_ value: T) -> [UInt8] {
        encode(value, [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]) + [10]
    }

    /// A request body, or the reason it is not one.
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) -> Result<T, DecodeFailure> {
        do {
            return .success(try JSONDecoder().decode(type, from: Data(bytes)))
        } catch DecodingError.keyNotFound(let key, _) {
            return .failure(.missing(key.stringValue))
        } catch DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            return .failure(field.isEmpty ? .notAnObject : .wrongType(field))
        } catch {
            return .failure(.notJSON)
        }
    }

    /// What is wrong with a request body, for a 400 that says so.
    public enum DecodeFailure: Error, Sendable, Equatable {
        case missing(String)
        case wrongType(String)
        case notAnObject
        case notJSON

        public var reason: String {
            switch self {
            case .missing(let field): "missing \"\(field)\""
            case .wrongType(let field): "\"\(field)\" has the wrong type"
            case .notAnObject: "the body must be a JSON object"
            case .notJSON: "the body is not valid JSON"
            }
        }
    }

    private static func encode<T: Encodable>(_ value: T, _ formatting: JSONEncoder.OutputFormatting) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = formatting
        // Every body here is strings, integers, finite numbers and arrays of them: encoding
        // cannot fail, so the fallback below is never expected to be written.
        return (try? Array(encoder.encode(value))) ?? Array("{}".utf8)
    }
}
