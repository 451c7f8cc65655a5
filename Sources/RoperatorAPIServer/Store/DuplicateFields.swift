import RoperatorClient

/// Keys a JSON request body repeats inside one object, worded as kube-apiserver reports them.
///
/// The body's parse keeps the last value of a repeated key, as Go's decoder does, and notes that
/// it saw one; this second walk over the bytes (``JSONValue/duplicateKeys(in:)``) runs only for a
/// body the parse noted and only when `fieldValidation` is `Warn` or `Strict`, so almost no
/// request pays for it.
enum DuplicateFields {
    /// `duplicate field "spec.replicas"` for each repeated key, each once, in document order; for
    /// a JSON patch (`prefix` `"json patch "`) `json patch duplicate field "[1].path"`.
    ///
    /// - Throws: 400 BadRequest when the body is not JSON (callers have parsed it already).
    static func decodingErrors<Body: Collection<UInt8>>(in body: Body, prefix: String = "") throws(APIError) -> [String] {
        var texts: [String] = []
        for duplicate in try keys(in: body) {
            let text = "\(prefix)duplicate field \"\(duplicate.path)\""
            if !texts.contains(text) { texts.append(text) }
        }
        return texts
    }

    /// Server-side apply reads its body as YAML even when it is JSON, so kube-apiserver words a
    /// repeated key as its YAML decoder does, with the line of the repetition:
    /// `line 10: key "paused" already set in map`.
    ///
    /// - Throws: 400 BadRequest when the body is not JSON (callers have parsed it already).
    static func yamlErrors(in body: [UInt8]) throws(APIError) -> [String] {
        var line = 1
        var scanned = 0
        var texts: [String] = []
        // Offsets come in document order, so one pass counts the lines.
        for duplicate in try keys(in: body) {
            while scanned < duplicate.offset {
                if body[scanned] == UInt8(ascii: "\n") { line += 1 }
                scanned += 1
            }
            texts.append("line \(line): key \"\(duplicate.key)\" already set in map")
        }
        return texts
    }

    /// kube-apiserver's 400 for an apply body with repeated keys under `fieldValidation=Strict`.
    static func yamlStrictError(_ texts: [String]) -> APIError {
        .badRequest(
            "error strict decoding YAML: error converting YAML to JSON: yaml: unmarshal errors:\n"
                + texts.map { "  " + $0 }.joined(separator: "\n"))
    }

    private static func keys<Body: Collection<UInt8>>(in body: Body) throws(APIError) -> [JSONDuplicateKey] {
        do {
            return try JSONValue.duplicateKeys(in: body)
        } catch {
            throw .badRequest("the body of the request could not be decoded as JSON: \(error)")
        }
    }
}
