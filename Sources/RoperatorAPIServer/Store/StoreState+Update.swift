import RoperatorClient

extension StoreState {
    /// PUT, and the last step of every patch: optimistic concurrency, server-owned fields kept,
    /// `status` split off by subresource, generation bumped on spec changes, field managers updated.
    ///
    /// - Parameters:
    ///   - managed: how `managedFields` changes: recorded as an Update by `options.updateManager`,
    ///     or already computed (server-side apply).
    mutating func update(
        _ info: ResourceInfo, key: ObjectKey, body: JSONValue, subresource: Subresource, options: WriteOptions,
        managedFieldsAlreadySet: Bool = false
    ) throws(APIError) -> JSONValue {
        let ref = ObjectRef(resource: info.groupResource, key: key)
        var object = try Self.checkBody(body, info: info)
        let missing = try Self.decodeBuiltIn(info, &object, options: options)
        let name = key.name
        if let bodyName = object[path: "metadata", "name"]?.stringValue, !bodyName.isEmpty, bodyName != name {
            throw .badRequest("the name of the object (\(bodyName)) does not match the name on the URL (\(name))")
        }
        if info.namespaced, let bodyNS = object[path: "metadata", "namespace"]?.stringValue, !bodyNS.isEmpty,
            bodyNS != key.storeNamespace
        {
            throw .badRequest("the namespace of the provided object does not match the namespace sent on the request")
        }
        let old = try existing(info, key)
        if let rv = object[path: "metadata", "resourceVersion"]?.stringValue, !rv.isEmpty,
            rv != old[path: "metadata", "resourceVersion"]?.stringValue
        {
            throw .staleResourceVersion(group: info.group, plural: info.plural, name: name)
        }
        let oldUID = old[path: "metadata", "uid"]?.stringValue ?? ""
        if let uid = object[path: "metadata", "uid"]?.stringValue, !uid.isEmpty, uid != oldUID {
            throw .conflict(
                group: info.group, plural: info.plural, name: name,
                why: "Precondition failed: UID in precondition: \(uid), UID in object meta: \(oldUID)")
        }

        if subresource == .status {
            // Only status changes through /status.
            var next = old
            next["status"] = object["status"]
            if managedFieldsAlreadySet { next[path: "metadata", "managedFields"] = object[path: "metadata", "managedFields"] }
            object = next
        } else {
            object[path: "metadata", "name"] = .string(name)
            if info.namespaced { object[path: "metadata", "namespace"] = .string(key.storeNamespace) }
            for field in ["uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation"] {
                object[path: "metadata", field] = old[path: "metadata", field]
            }
            if !managedFieldsAlreadySet { object[path: "metadata", "managedFields"] = old[path: "metadata", "managedFields"] }
            object[path: "metadata", "selfLink"] = nil
            if info.hasStatus { object["status"] = old["status"] }
        }
        object[path: "metadata", "resourceVersion"] = old[path: "metadata", "resourceVersion"]

        applyDefaults(info, &object, creating: false)
        // Status is not checked for required fields: the schemas mark fields kube-apiserver's
        // status validation does not require (a container status's image and imageID).
        try Self.requireFields(info, object, missing: missing.filter { !$0.hasPrefix("status") })
        try applySchema(info, &object, old: old, options: options)
        try Self.normalizeLease(info, &object)
        try validateUpdate(info, old: old, new: &object)
        if info.tracksGeneration, Self.specChanged(old: old, new: object, info: info) {
            object[path: "metadata", "generation"] = .int((old[path: "metadata", "generation"]?.intValue ?? 0) + 1)
        }
        if !managedFieldsAlreadySet {
            ManagedFields.recordUpdate(
                old: old, new: &object, manager: options.updateManager, info: info, subresource: subresource)
        }
        // A write that changes nothing is not a write: same resourceVersion, no event.
        if Self.sameIgnoringManagedFieldTimes(old, object) { return Self.present(old, as: info) }
        if options.dryRun { return Self.present(object, as: info) }

        if ref.resource == Self.namespaces {
            // A terminating namespace goes only once it is empty.
            let stored = put(ref, object, old: old)
            finishNamespace(key.name)
            return Self.present(self.object(ref) ?? stored, as: info)
        }
        if object[path: "metadata", "deletionTimestamp"] != nil,
            (object[path: "metadata", "finalizers"]?.arrayValue ?? []).isEmpty
        {
            // The last finalizer is gone: the object goes now.
            let final = remove(ref, finalState: object) ?? object
            afterRemoval(ref, final, propagation: .background)
            return Self.present(final, as: info)
        }
        try Self.checkStoredSize(object)
        let stored = put(ref, object, old: old)
        if ref.resource == Self.crds, stored[path: "metadata", "deletionTimestamp"] == nil {
            try registry.register(crd: stored)
        }
        return Self.present(stored, as: info)
    }

    /// Rules that hold on every update.
    private func validateUpdate(_ info: ResourceInfo, old: JSONValue, new: inout JSONValue) throws(APIError) {
        let name = old[path: "metadata", "name"]?.stringValue ?? ""
        if old[path: "metadata", "deletionTimestamp"] != nil {
            let before = Set(old[path: "metadata", "finalizers"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            let after = new[path: "metadata", "finalizers"]?.arrayValue?.compactMap(\.stringValue) ?? []
            if after.contains(where: { !before.contains($0) }) {
                throw .invalid(
                    group: info.group, kind: info.kind, name: name,
                    causes: [
                        .init(
                            reason: "FieldValueForbidden", field: "metadata.finalizers",
                            message:
                                "Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers \(after.filter { !before.contains($0) })"
                        )
                    ])
            }
        }
        if info.plural == "configmaps" || info.plural == "secrets", info.group.isEmpty,
            old["immutable"]?.boolValue == true
        {
            for field in ["data", "binaryData", "stringData", "immutable"] where old[field] != new[field] {
                throw .invalid(
                    group: info.group, kind: info.kind, name: name,
                    causes: [
                        .init(
                            reason: "FieldValueForbidden", field: field,
                            message: "Forbidden: field is immutable when `immutable` is set")
                    ])
            }
        }
        if info.groupResource == Self.crds {
            _ = try ResourceRegistry.resources(fromCRD: new)
            if new[path: "spec", "group"] != old[path: "spec", "group"] {
                throw .invalid(
                    group: info.group, kind: info.kind, name: name,
                    causes: [
                        .init(field: "spec.group", message: "Invalid value: \(new[path: "spec", "group"] ?? .null): field is immutable")
                    ])
            }
            new["status"] = Self.crdStatus(new, since: old)
        }
        if info.group.isEmpty, info.plural == "services" {
            // Allocated addresses survive an update that leaves them out, as on a real server.
            for field in ["clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"] where new[path: "spec", field] == nil {
                if let allocated = old[path: "spec", field] { new[path: "spec", field] = allocated }
            }
            // Node ports too, port by port.
            let oldPorts = old[path: "spec", "ports"]?.arrayValue ?? []
            new.modify("spec") { spec in
                spec.modifyEach("ports") { port in
                    guard port["nodePort"] == nil else { return }
                    let match = oldPorts.first { $0["port"] == port["port"] && $0["protocol"] == port["protocol"] }
                    if let nodePort = match?["nodePort"] { port["nodePort"] = nodePort }
                }
            }
        }
        if info.groupResource == Self.namespaces {
            new[path: "spec", "finalizers"] = old[path: "spec", "finalizers"]
            if new[path: "status", "phase"] == nil { new[path: "status", "phase"] = old[path: "status", "phase"] }
        }
    }

    /// Whether anything outside metadata (and outside status when it is a subresource) changed.
    static func specChanged(old: JSONValue, new: JSONValue, info: ResourceInfo) -> Bool {
        guard let a = old.objectValue, let b = new.objectValue else { return old != new }
        for key in Set(a.keys).union(b.keys) where key != "metadata" && key != "resourceVersion" {
            if key == "status", info.hasStatus { continue }
            if key == "apiVersion" || key == "kind" { continue }
            if a[key] != b[key] { return true }
        }
        return false
    }

    static func sameIgnoringManagedFieldTimes(_ a: JSONValue, _ b: JSONValue) -> Bool {
        if a == b { return true }
        var a2 = a
        var b2 = b
        a2[path: "metadata", "managedFields"] = ManagedFields.withoutTimes(a[path: "metadata", "managedFields"])
        b2[path: "metadata", "managedFields"] = ManagedFields.withoutTimes(b[path: "metadata", "managedFields"])
        return a2 == b2
    }
}
