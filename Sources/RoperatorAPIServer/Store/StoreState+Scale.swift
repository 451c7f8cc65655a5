import RoperatorClient

extension StoreState {
    /// The `autoscaling/v1` `Scale` of an object.
    static func scale(of object: JSONValue, info: ResourceInfo) -> JSONValue {
        guard let paths = info.scale else { return .null }
        var metadata: [String: JSONValue] = [:]
        for field in ["name", "namespace", "uid", "resourceVersion", "creationTimestamp"] {
            if let value = object[path: "metadata", field] { metadata[field] = value }
        }
        var status: [String: JSONValue] = [
            "replicas": object[fields: paths.statusReplicas] ?? 0
        ]
        if let selectorPath = paths.labelSelector, let selector = object[fields: selectorPath] {
            if let text = selector.stringValue {
                status["selector"] = .string(text)
            } else if let parsed = try? LabelSelector(json: selector) { // a stored selector was valid when written
                status["selector"] = .string(parsed.description)
            }
        }
        return [
            "kind": "Scale", "apiVersion": "autoscaling/v1", "metadata": .object(metadata),
            "spec": ["replicas": object[fields: paths.specReplicas] ?? 0],
            "status": .object(status),
        ]
    }

    /// GET of `<plural>/<name>/scale`.
    func getScale(_ info: ResourceInfo, key: ObjectKey) throws(APIError) -> JSONValue {
        Self.scale(of: try existing(info, key), info: info)
    }

    /// PUT of `<plural>/<name>/scale`: the object's replica count becomes the Scale's.
    mutating func updateScale(_ info: ResourceInfo, key: ObjectKey, body: JSONValue, options: WriteOptions)
        throws(APIError) -> JSONValue
    {
        guard let paths = info.scale else { throw .notFound() }
        guard body.objectValue != nil else { throw .badRequest("the body of the request must be a JSON object") }
        if let kind = body["kind"]?.stringValue, !kind.isEmpty, kind != "Scale" {
            throw .badRequest("the kind of the object (\(kind)) does not match the expected kind (Scale)")
        }
        var object = try existing(info, key)
        if let rv = body[path: "metadata", "resourceVersion"]?.stringValue, !rv.isEmpty,
            rv != object[path: "metadata", "resourceVersion"]?.stringValue
        {
            throw .staleResourceVersion(group: info.group, plural: info.plural, name: key.name)
        }
        let replicas = body[path: "spec", "replicas"] ?? 0
        guard let count = replicas.intValue, Int32(exactly: count) != nil else {
            throw .badRequest(
                "Scale in version \"v1\" cannot be handled as a Scale: json: cannot unmarshal \(replicas.serialized()) into Go struct field ScaleSpec.spec.replicas of type int32"
            )
        }
        guard count >= 0 else {
            throw .invalid(
                group: "autoscaling", kind: "Scale", name: key.name,
                causes: [.init(field: "spec.replicas", message: "Invalid value: \(count): must be greater than or equal to 0")])
        }
        object[fields: paths.specReplicas] = .int(count)
        object[path: "metadata", "resourceVersion"] = nil
        let updated = try update(info, key: key, body: Self.present(object, as: info), subresource: .main, options: options)
        return Self.scale(of: updated, info: info)
    }

    /// PATCH of `<plural>/<name>/scale` (merge, JSON or strategic merge patch of the Scale).
    mutating func patchScale(_ info: ResourceInfo, key: ObjectKey, type: PatchType, body: [UInt8], options: WriteOptions)
        throws(APIError) -> JSONValue
    {
        let current = try getScale(info, key: key)
        let patch: JSONValue
        do {
            patch = try type == .apply ? YAMLBody.parse(body) : JSONValue(parsing: body)
        } catch {
            throw .badRequest("error decoding patch: \(error)")
        }
        var patched: JSONValue
        switch type {
        case .merge, .strategic:
            guard patch.objectValue != nil else { throw .badRequest("patch must be a JSON object") }
            patched = current.applyingMergePatch(patch)
        case .json:
            patched = try Self.applyJSONPatch(patch, to: current)
        case .apply:
            patched = current.applyingMergePatch(patch)
        }
        // The patch decides the count; the object's current version is the precondition.
        patched[path: "metadata", "resourceVersion"] = current[path: "metadata", "resourceVersion"]
        return try updateScale(info, key: key, body: patched, options: options)
    }
}
