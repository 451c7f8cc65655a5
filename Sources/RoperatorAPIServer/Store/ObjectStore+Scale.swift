package import RoperatorClient

extension ObjectStore {
    /// GET of `<plural>/<name>/scale`: an `autoscaling/v1` `Scale`.
    ///
    /// - Throws: 404 when the object or the subresource does not exist.
    package func scale(_ info: ResourceInfo, namespace: String?, name: String) throws(APIError) -> JSONValue {
        guard info.scale != nil else { throw .notFound() }
        return try locked { s throws(APIError) in
            try s.getScale(info, key: try s.key(info, namespace: namespace, name: name))
        }
    }

    /// PUT of `<plural>/<name>/scale`: sets the object's replica count.
    ///
    /// - Throws: 404, 409 for a stale `metadata.resourceVersion`, 400 or 422 for a bad count.
    package func replaceScale(
        _ info: ResourceInfo, namespace: String?, name: String, scale: JSONValue, options: WriteOptions = WriteOptions()
    ) throws(APIError) -> JSONValue {
        guard info.scale != nil else { throw .notFound() }
        return try locked { s throws(APIError) in
            try s.updateScale(info, key: try s.key(info, namespace: namespace, name: name), body: scale, options: options)
        }
    }

    /// PATCH of `<plural>/<name>/scale`.
    package func patchScale(
        _ info: ResourceInfo, namespace: String?, name: String, type: PatchType, body: [UInt8],
        options: WriteOptions = WriteOptions()
    ) throws(APIError) -> JSONValue {
        guard info.scale != nil else { throw .notFound() }
        return try locked { s throws(APIError) in
            try s.patchScale(
                info, key: try s.key(info, namespace: namespace, name: name), type: type, body: body, options: options)
        }
    }
}
