import RoperatorClient

extension StoreState {
    /// What a real server does to a custom resource between decoding a write and storing it: fields
    /// the version's structural schema does not describe are dropped, `null`s in non-nullable fields
    /// dropped and `default`s filled in, then the result is validated.
    ///
    /// - Parameters:
    ///   - old: the stored object on update (unchanged parts are not validated again), `nil` on create.
    /// - Throws: 422 Invalid listing every violation; nothing is stored then.
    func applySchema(
        _ info: ResourceInfo, _ object: inout JSONValue, old: JSONValue?, strict: Bool, warnings: FieldWarnings? = nil
    ) throws(APIError) {
        guard let schema = info.structuralSchema else { return }
        if strict {
            try Self.refuseUnknownFields(schema, object, info: info)
        } else if let warnings {
            warnings.unknownFields(schema.unknownFields(object, isRoot: true))
        }
        object = schema.pruned(object, isRoot: true, defaulting: true)
        let causes = schema.validationCauses(object, old: old)
        guard causes.isEmpty else {
            let name = object[path: "metadata", "name"]?.stringValue ?? ""
            throw .invalid(group: info.group, kind: info.kind, name: name, causes: causes)
        }
    }

    /// `fieldValidation=Strict`: 400 naming every field the schema does not describe, worded as the
    /// real server's strict decoding error.
    static func refuseUnknownFields(_ schema: StructuralSchema, _ object: JSONValue, info: ResourceInfo) throws(APIError) {
        try refuseUnknownFields(schema.unknownFields(object, isRoot: true), info: info)
    }

    static func refuseUnknownFields(_ unknown: [String], info: ResourceInfo) throws(APIError) {
        guard !unknown.isEmpty else { return }
        let fields = unknown.map { "unknown field \"\($0)\"" }.joined(separator: ", ")
        throw .badRequest(
            "\(info.kind) in version \"\(info.version)\" cannot be handled as a \(info.kind): strict decoding error: \(fields)")
    }

    /// What kube-apiserver's decoding does to a built-in kind's object: values of the wrong type
    /// and integers that do not fit their field fail with 400, unknown fields fail under
    /// `fieldValidation=Strict` and are dropped otherwise, `null`s are dropped and quantities put
    /// in canonical form.
    ///
    /// - Returns: the required fields that are missing, for ``requireFields(_:_:missing:)`` once
    ///   defaults are applied.
    static func decodeBuiltIn(
        _ info: ResourceInfo, _ object: inout JSONValue, strict: Bool, warnings: FieldWarnings? = nil
    ) throws(APIError) -> [String] {
        guard let root = info.builtInRootType else { return [] }
        let report: BuiltInDecodingReport
        do {
            report = try BuiltInDefinitions.shared.decode(&object, as: root)
        } catch {
            throw .badRequest("\(info.kind) in version \"\(info.version)\" cannot be handled as a \(info.kind): \(error.message)")
        }
        if strict { try refuseUnknownFields(report.unknownFields, info: info) }
        warnings?.unknownFields(report.unknownFields)
        return report.missingRequired
    }

    /// 422 Invalid naming each required field that is still missing after defaulting.
    static func requireFields(_ info: ResourceInfo, _ object: JSONValue, missing: [String]) throws(APIError) {
        let stillMissing = missing.filter { path in
            // Defaults may have filled a field in since decoding.
            var node: JSONValue? = object
            for step in path.split(separator: ".") where !step.contains("[") { node = node?[String(step)] }
            return path.contains("[") || node == nil
        }
        guard !stillMissing.isEmpty else { return }
        throw .invalid(
            group: info.group, kind: info.kind, name: object[path: "metadata", "name"]?.stringValue ?? "",
            causes: stillMissing.map { .init(reason: "FieldValueRequired", field: $0, message: "Required value") })
    }
}
