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
        do {
            patch = try JSONValue(parsing: body)
        } catch {
            throw .badRequest("error decoding patch: \(error)")
        }
        let old = Self.present(try existing(info, key), as: info)
        let patched: JSONValue
        switch type {
        case .merge:
            guard patch.objectValue != nil else { throw .badRequest("merge patch must be a JSON object") }
            patched = MergePatch.apply(patch, to: old)
        case .json:
            patched = try JSONPatch.apply(patch, to: old)
        case .strategic:
            guard patch.objectValue != nil else { throw .badRequest("strategic merge patch must be a JSON object") }
            patched = try StrategicMergePatch.apply(patch, to: old, info: info)
        case .apply:
            preconditionFailure("handled above")
        }
        let object = try update(info, key: key, body: patched, subresource: subresource, options: options)
        return ObjectStore.WriteResult(object: object, created: false)
    }
}
