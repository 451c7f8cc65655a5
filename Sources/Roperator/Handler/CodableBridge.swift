#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import RoperatorClient

/// The single place where the runtime converts between `JSONValue` and the user's `Codable`
/// types.
///
/// For now this round-trips through serialized bytes and Foundation's `JSONEncoder`/`JSONDecoder`.
/// When the direct `JSONValue` encoder/decoder from RoperatorClient lands
/// (`JSONValue(encoding:)` / `value.decode(_:)`), only these two functions change.
enum CodableBridge {
    /// Decodes `value` as `T`; `what` names the value in the error (e.g. "spec of parent ns/name").
    static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue, what: String) throws(CodingFailure) -> T {
        do {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            return try decoder.decode(T.self, from: Data(value.serializedBytes()))
        } catch {
            throw CodingFailure(operation: .decoding, what: what, underlying: error)
        }
    }

    /// Encodes `value` to a `JSONValue`; `what` names the value in the error.
    static func encode<T: Encodable>(_ value: T, what: String) throws(CodingFailure) -> JSONValue {
        do {
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            let data = try encoder.encode(value)
            return try JSONValue(parsing: data)
        } catch {
            throw CodingFailure(operation: .encoding, what: what, underlying: error)
        }
    }
}
