import RoperatorClient

/// Request bodies that may be YAML (server-side apply) or JSON.
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
}
