import RoperatorClient

extension StoreState {
    /// What a real server does to a custom resource between decoding a write and storing it: fields
    /// the version's structural schema does not describe are dropped, `null`s in non-nullable fields
    /// dropped and `default`s filled in, then the result is validated.
    ///
    /// - Parameters:
    ///   - old: the stored object on update (unchanged parts are not validated again), `nil` on create.
    /// - Throws: 422 Invalid listing every violation; nothing is stored then.
    func applySchema(_ info: ResourceInfo, _ object: inout JSONValue, old: JSONValue?, strict: Bool) throws(APIError) {
        guard let schema = info.structuralSchema else { return }
        if strict { try Self.refuseUnknownFields(schema, object, info: info) }
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
        let unknown = schema.unknownFields(object, isRoot: true)
        guard !unknown.isEmpty else { return }
        let fields = unknown.map { "unknown field \"\($0)\"" }.joined(separator: ", ")
        throw .badRequest(
            "\(info.kind) in version \"\(info.version)\" cannot be handled as a \(info.kind): strict decoding error: \(fields)")
    }
}
