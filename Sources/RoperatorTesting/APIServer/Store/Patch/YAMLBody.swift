import RoperatorClient
import Yams

/// Request bodies and files that may be YAML or JSON.
enum YAMLBody {
    /// Parses JSON, or YAML when the body is not JSON.
    ///
    /// - Throws: 400 BadRequest carrying the parser's message.
    static func parse(_ bytes: [UInt8]) throws(APIError) -> JSONValue {
        let jsonError: JSONParseError
        do {
            return try JSONValue(parsing: bytes)
        } catch {
            jsonError = error
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .badRequest("error decoding request body: not UTF-8 (\(jsonError))")
        }
        do {
            return try JSONValue(yaml: text)
        } catch {
            throw .badRequest("error decoding YAML: \(error)")
        }
    }

    /// Every document of a JSON value or a YAML stream (`---` separated, empty documents left out).
    ///
    /// - Throws: 400 BadRequest carrying the parser's message.
    static func documents(_ bytes: [UInt8]) throws(APIError) -> [JSONValue] {
        if let single = try? JSONValue(parsing: bytes) { return [single] }  // not JSON: YAML errors are reported below
        do {
            return try JSONValue.documents(yaml: String(decoding: bytes, as: UTF8.self))
        } catch {
            throw .badRequest("error decoding YAML: \(error)")
        }
    }

    /// Converts one composed YAML node (core schema scalars).
    ///
    /// - Note: kept for callers that walk `Yams.compose_all` themselves; `documents(_:)` (which
    ///   uses the shared `JSONValue(yaml:)` bridge) is preferred.
    static func convert(_ node: Node) throws(APIError) -> JSONValue {
        do {
            return try JSONValue(yaml: Yams.serialize(node: node))
        } catch {
            throw .badRequest("error decoding YAML: \(error)")
        }
    }
}
