import RoperatorClient

/// The single place where the runtime converts between `JSONValue` and the user's `Codable`
/// types, through RoperatorClient's direct `JSONValue` encoder and decoder (no byte round trip).
enum CodableBridge {
    /// Decodes `value` as `T`; `what` names the value in the error (e.g. "spec of parent ns/name").
    static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue, what: String) throws(CodingFailure) -> T {
        do {
            return try JSONValueDecoder().decode(T.self, from: value)
        } catch {
            throw CodingFailure(operation: .decoding, what: what, underlying: error)
        }
    }

    /// Encodes `value` to a `JSONValue`; `what` names the value in the error.
    static func encode<T: Encodable>(_ value: T, what: String) throws(CodingFailure) -> JSONValue {
        do {
            return try JSONValueEncoder().encode(value)
        } catch {
            throw CodingFailure(operation: .encoding, what: what, underlying: error)
        }
    }
}
