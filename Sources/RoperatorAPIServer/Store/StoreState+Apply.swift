import RoperatorClient

extension StoreState {
    /// Server-side apply: the applied configuration is merged into the live object; the manager owns
    /// exactly the fields it applied; fields it stops applying go unless someone else owns them; a
    /// field another manager owns with a different value is a conflict unless `force`.
    mutating func apply(
        _ info: ResourceInfo, key: ObjectKey, body: [UInt8], subresource: Subresource, options: WriteOptions
    ) throws(APIError) -> ObjectStore.WriteResult {
        guard let manager = options.fieldManager, !manager.isEmpty else {
            throw .badRequest("PATCH, application/apply-patch+yaml requires fieldManager parameter to be set")
        }
        let (parsed, repeatsKeys) = try YAMLBody.decode(body)
        var applied = parsed
        guard applied.objectValue != nil else { throw .badRequest("apply patch must be an object") }
        if applied["apiVersion"]?.stringValue?.isEmpty ?? true {
            throw .badRequest("invalid object type: /, Kind=: apiVersion must be set")
        }
        if applied["kind"]?.stringValue?.isEmpty ?? true { throw .badRequest("invalid object type: kind must be set") }
        applied = try Self.checkBody(applied, info: info)
        // A built-in kind's applied configuration is decoded as its object would be: unknown fields
        // refused or dropped, quantities canonical (so that comparing with the live object works).
        _ = try Self.decodeBuiltIn(info, &applied, options: options)
        if let schema = info.structuralSchema {
            if options.reportsFieldProblems {
                try Self.reportFieldProblems(
                    unknown: schema.unknownFields(applied, isRoot: true), info: info, options: options)
            }
            // Unknown fields of the applied configuration are dropped before ownership is computed,
            // so a manager never owns a field the schema does not have.
            applied = schema.pruned(applied, isRoot: true, defaulting: false)
        }
        // kube-apiserver reads an apply body as YAML, so its repeated keys are reported as the YAML
        // decoder words them, apart from unknown fields. (YAML bodies never get here with one: the
        // YAML parser refuses them.)
        if repeatsKeys, options.reportsFieldProblems {
            let repeated = try DuplicateFields.yamlErrors(in: body)
            if !repeated.isEmpty, options.strictFieldValidation { throw DuplicateFields.yamlStrictError(repeated) }
            options.fieldWarnings?.record(repeated)
        }
        if let name = applied[path: "metadata", "name"]?.stringValue, !name.isEmpty, name != key.name {
            throw .badRequest("the name of the object (\(name)) does not match the name on the URL (\(key.name))")
        }
        for field in Self.serverMetadata where field != "resourceVersion" && field != "uid" {
            applied[path: "metadata", field] = nil
        }
        let scope = FieldPaths.Scope(info: info, subresource: subresource)
        if info.hasStatus {
            if subresource == .status {
                applied = [
                    "apiVersion": applied["apiVersion"]!, "kind": applied["kind"]!,
                    "metadata": applied["metadata"]!, "status": applied["status"] ?? .null,
                ]
            } else {
                applied["status"] = nil
            }
        }
        let appliedPaths = FieldPaths.of(applied, scope: scope)
        let sub = subresource.rawValue
        let ref = ObjectRef(resource: info.groupResource, key: key)

        guard let liveStored = object(ref) else {
            if subresource == .status { throw .notFound(group: info.group, plural: info.plural, name: key.name) }
            var fresh = applied
            fresh[path: "metadata", "name"] = .string(key.name)
            let entry = ManagedFields.Entry(
                manager: manager, operation: .apply, apiVersion: info.apiVersion, time: Clock.now(), subresource: sub,
                fields: appliedPaths)
            let created = try create(
                info, namespace: info.namespaced ? key.storeNamespace : nil, body: fresh, options: options,
                managedFields: [entry])
            return ObjectStore.WriteResult(object: created, created: true)
        }
        let live = Self.present(liveStored, as: info)
        var entries = ManagedFields.entries(of: live)

        // Conflicts: a field applied with a value other than the live one, owned by someone else.
        var conflicts: [(path: [String], entry: Int)] = []
        for path in appliedPaths where path.last?.hasPrefix("f:") == true {
            if FieldPaths.value(at: path, in: applied) == FieldPaths.value(at: path, in: live) { continue }
            for (i, e) in entries.enumerated() where !e.sameOwner(manager, .apply, sub) && e.fields.contains(path) {
                conflicts.append((path, i))
            }
        }
        if !conflicts.isEmpty {
            if !options.force { throw Self.applyConflict(conflicts, entries: entries, info: info, name: key.name) }
            for c in conflicts { entries[c.entry].fields.remove(c.path) }
        }

        var merged = ApplyMerge.merge(applied, into: live, names: [], info: info)

        // Fields this manager applied before but not now go, unless another manager owns them.
        let mine = entries.firstIndex { $0.sameOwner(manager, .apply, sub) }
        let previous = mine.map { entries[$0].fields } ?? []
        var othersOwn: Set<[String]> = []
        for (i, e) in entries.enumerated() where i != mine { othersOwn.formUnion(e.fields) }
        // Shortest first: once a list item goes, its fields (key fields included) go with it.
        let dropped = previous.subtracting(appliedPaths).sorted { $0.count < $1.count }
        var removed: [[String]] = []
        for path in dropped where !removed.contains(where: { path.starts(with: $0) }) {
            let owned = othersOwn.contains { $0.starts(with: path) } || appliedPaths.contains { $0.starts(with: path) }
            if !owned {
                merged = FieldPaths.removing(path, from: merged)
                removed.append(path)
            }
        }

        let now = Clock.now()
        if let mine {
            entries[mine].fields = appliedPaths
            entries[mine].apiVersion = info.apiVersion
            if previous != appliedPaths || FieldPaths.of(merged, scope: scope) != FieldPaths.of(live, scope: scope) {
                entries[mine].time = now
            }
        } else {
            entries.append(
                ManagedFields.Entry(
                    manager: manager, operation: .apply, apiVersion: info.apiVersion, time: now, subresource: sub,
                    fields: appliedPaths))
        }
        ManagedFields.store(entries, in: &merged)
        let result = try update(
            info, key: key, body: merged, subresource: subresource, options: options, managedFieldsAlreadySet: true)
        return ObjectStore.WriteResult(object: result, created: false)
    }

    /// 409 naming each conflicting field and the manager that owns it, in the real server's words.
    private static func applyConflict(
        _ conflicts: [(path: [String], entry: Int)], entries: [ManagedFields.Entry], info: ResourceInfo, name: String
    ) -> APIError {
        var causes: [JSONValue] = []
        var lines: [String] = []
        for c in conflicts {
            let e = entries[c.entry]
            let field = FieldPaths.describe(c.path)
            let who = "conflict with \"\(e.manager)\"" + (e.operation == .update ? " using \(e.apiVersion)" : "")
            causes.append(["reason": "FieldManagerConflict", "message": .string(who), "field": .string(field)])
            lines.append("\(who): \(field)")
        }
        let count = conflicts.count
        let message = "Apply failed with \(count) conflict\(count == 1 ? "" : "s"): " + lines.joined(separator: "\n")
        return APIError(
            code: 409, reason: "Conflict", message: message,
            details: APIError.details(name: name, group: info.group, kind: info.plural, causes: causes))
    }
}
