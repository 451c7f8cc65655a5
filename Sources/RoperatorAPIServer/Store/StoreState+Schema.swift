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
        _ info: ResourceInfo, _ object: inout JSONValue, old: JSONValue?, options: WriteOptions
    ) throws(APIError) {
        guard let schema = info.structuralSchema else {
            // Without a schema (and not a built-in kind, which decoding checked) no field is
            // unknown, but the body's repeated keys are still reported.
            if info.builtInRootType == nil { try Self.reportFieldProblems(unknown: [], info: info, options: options) }
            return
        }
        if options.reportsFieldProblems {
            try Self.reportFieldProblems(unknown: schema.unknownFields(object, isRoot: true), info: info, options: options)
        }
        object = schema.pruned(object, isRoot: true, defaulting: true)
        let causes = schema.validationCauses(object, old: old)
        guard causes.isEmpty else {
            let name = object[path: "metadata", "name"]?.stringValue ?? ""
            throw .invalid(group: info.group, kind: info.kind, name: name, causes: causes)
        }
    }

    /// What `fieldValidation` makes of a write's field problems: the body's repeated keys
    /// (`options.duplicateFields`) first, then the fields the schema does not describe (`unknown`).
    /// `Strict`: one 400 naming them all, worded as the real server's strict decoding error
    /// (`strict decoding error: duplicate field "spec.replicas", unknown field "spec.foo"`); `Warn`:
    /// a warning for each; `Ignore`: nothing.
    static func reportFieldProblems(unknown: [String], info: ResourceInfo, options: WriteOptions) throws(APIError) {
        let problems = options.duplicateFields + unknown.map(FieldWarnings.unknownField)
        guard !problems.isEmpty else { return }
        if options.strictFieldValidation {
            throw .badRequest(
                "\(info.kind) in version \"\(info.version)\" cannot be handled as a \(info.kind): strict decoding error: "
                    + problems.joined(separator: ", "))
        }
        options.fieldWarnings?.record(problems)
    }

    /// What kube-apiserver's decoding does to a built-in kind's object: values of the wrong type
    /// and integers that do not fit their field fail with 400, unknown fields fail under
    /// `fieldValidation=Strict` and are dropped otherwise, `null`s are dropped and quantities put
    /// in canonical form.
    ///
    /// - Returns: the required fields that are missing, for ``requireFields(_:_:missing:)`` once
    ///   defaults are applied.
    static func decodeBuiltIn(
        _ info: ResourceInfo, _ object: inout JSONValue, options: WriteOptions
    ) throws(APIError) -> [String] {
        guard let root = info.builtInRootType else { return [] }
        let report: BuiltInDecodingReport
        do {
            report = try BuiltInDefinitions.shared.decode(&object, as: root)
        } catch {
            throw .badRequest("\(info.kind) in version \"\(info.version)\" cannot be handled as a \(info.kind): \(error.message)")
        }
        try reportFieldProblems(unknown: report.unknownFields, info: info, options: options)
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
