import RoperatorClient

/// Request bodies that may be YAML or JSON, parsed by RoperatorClient's `JSONValue` engines and
/// reported with the server's status codes.
enum YAMLBody {
    /// Parses JSON, or YAML when the body is not JSON.
    ///
    /// JSON is tried first because it is the common case and the JSON parser is much faster than
    /// going through YAML (which would also accept it).
    ///
    /// - Throws: 400 BadRequest carrying the parser's message.
    static func parse(_ bytes: [UInt8]) throws(APIError) -> JSONValue {
        try decode(bytes).value
    }

    /// ``parse(_:)``, also telling whether the body was JSON that repeats a key in an object
    /// (the parse keeps the last value; the YAML parser refuses repeated keys).
    static func decode(_ bytes: [UInt8]) throws(APIError) -> (value: JSONValue, repeatsKeys: Bool) {
        let jsonError: JSONParseError
        var repeatsKeys = false
        do {
            return (try JSONValue(parsing: bytes, repeatsKeys: &repeatsKeys), repeatsKeys)
        } catch {
            jsonError = error
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .badRequest("error decoding request body: not UTF-8 (\(jsonError))")
        }
        do {
            return (try JSONValue(yaml: text), false)
        } catch {
            throw .badRequest("error decoding YAML: \(error)")
        }
    }
}
