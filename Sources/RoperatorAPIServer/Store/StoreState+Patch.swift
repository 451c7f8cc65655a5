import RoperatorClient

extension StoreState {
    mutating func patch(
        _ info: ResourceInfo, key: ObjectKey, type: PatchType, body: [UInt8], subresource: Subresource,
        options: WriteOptions
    ) throws(APIError) -> ObjectStore.WriteResult {
        if type == .apply {
            return try apply(info, key: key, body: body, subresource: subresource, options: options)
        }
        if type == .strategic, info.isCustom { throw .unsupportedMediaType(type.rawValue) }
        let patch: JSONValue
        var repeatsKeys = false
        do {
            patch = try JSONValue(parsing: body, repeatsKeys: &repeatsKeys)
        } catch {
            throw .badRequest("error decoding patch: \(error)")
        }
        var options = options
        if repeatsKeys, options.reportsFieldProblems {
            // kube-apiserver checks the patch itself for repeated keys, then the patched object for
            // unknown fields, and reports both together. The parse noted whether there are any.
            options.duplicateFields = try DuplicateFields.decodingErrors(in: body, prefix: type == .json ? "json patch " : "")
        }
        let old = Self.present(try existing(info, key), as: info)
        let patched: JSONValue
        switch type {
        case .merge:
            guard patch.objectValue != nil else { throw .badRequest("merge patch must be a JSON object") }
            patched = old.applyingMergePatch(patch)
        case .json:
            patched = try Self.applyJSONPatch(patch, to: old)
        case .strategic:
            guard patch.objectValue != nil else { throw .badRequest("strategic merge patch must be a JSON object") }
            patched = try StrategicMergePatch.apply(patch, to: old, info: info)
        case .apply:
            preconditionFailure("handled above")
        }
        let object = try update(info, key: key, body: patched, subresource: subresource, options: options)
        return ObjectStore.WriteResult(object: object, created: false)
    }

    /// RFC 6902 through the client's implementation, with the real server's status codes.
    ///
    /// - Throws: 400 BadRequest for a malformed patch document (not an array, missing or unknown
    ///   `op`, bad pointer), 422 Invalid when an operation cannot be applied (missing path, failed `test`).
    static func applyJSONPatch(_ patch: JSONValue, to target: JSONValue) throws(APIError) -> JSONValue {
        let operations: [JSONPatchOperation]
        do {
            operations = try JSONPatchOperation.operations(from: patch)
        } catch {
            throw .badRequest("error decoding json patch: \(error)")
        }
        do {
            return try target.applyingJSONPatch(operations)
        } catch {
            throw .unprocessable("the server rejected our request due to an error in our request: \(error)")
        }
    }
}
