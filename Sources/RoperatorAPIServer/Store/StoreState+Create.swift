import RoperatorClient

extension StoreState {
    /// Server-owned metadata fields that a client cannot set on create.
    static let serverMetadata = [
        "uid", "resourceVersion", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
        "generation", "selfLink", "managedFields",
    ]

    mutating func create(
        _ info: ResourceInfo, namespace: String?, body: JSONValue, options: WriteOptions,
        managedFields: [ManagedFields.Entry]? = nil
    ) throws(APIError) -> JSONValue {
        var object = try Self.checkBody(body, info: info)
        let missing = try Self.decodeBuiltIn(info, &object, options: options)
        let name = try resolveNamespaceAndName(info, namespace: namespace, object: &object)
        let key = ObjectKey(storeNamespace: info.namespaced ? object[path: "metadata", "namespace"]!.stringValue! : "", name: name)
        let ref = ObjectRef(resource: info.groupResource, key: key)
        if buckets[ref.resource]?.objects[key] != nil {
            throw .alreadyExists(group: info.group, plural: info.plural, name: name)
        }
        // One metadata rewrite instead of a copy per field: this is the hot path of every create.
        var metadata = object["metadata"]?.objectValue ?? [:]
        object["metadata"] = nil
        for field in Self.serverMetadata { metadata[field] = nil }
        metadata["uid"] = .string(Clock.uid())
        metadata["creationTimestamp"] = .string(Clock.now())
        if info.tracksGeneration { metadata["generation"] = 1 }
        object["metadata"] = .object(metadata)
        if info.hasStatus { object["status"] = nil }
        try prepareCreate(info, &object)
        applyDefaults(info, &object, creating: true)
        try Self.requireFields(info, object, missing: missing.filter { !$0.hasPrefix("status") })
        try applySchema(info, &object, old: nil, options: options)
        try Self.normalizeLease(info, &object)
        if let managedFields {
            ManagedFields.store(managedFields, in: &object)
        } else {
            ManagedFields.recordUpdate(
                old: nil, new: &object, manager: options.updateManager, info: info, subresource: .main)
        }
        if options.dryRun {
            object[path: "metadata", "resourceVersion"] = nil
            return Self.present(object, as: info)
        }
        try Self.checkStoredSize(object)
        let stored = put(ref, object, old: nil)
        if ref.resource == Self.crds { try registry.register(crd: stored) }
        return Self.present(stored, as: info)
    }

    /// Checks the body's kind and apiVersion against the URL.
    static func checkBody(_ body: JSONValue, info: ResourceInfo) throws(APIError) -> JSONValue {
        guard body.objectValue != nil else { throw .badRequest("the body of the request must be a JSON object") }
        var object = body
        if let kind = object["kind"]?.stringValue, !kind.isEmpty, kind != info.kind {
            throw .badRequest("the kind of the object (\(kind)) does not match the kind on the URL (\(info.kind))")
        }
        if let apiVersion = object["apiVersion"]?.stringValue, !apiVersion.isEmpty, apiVersion != info.apiVersion {
            throw .badRequest(
                "the API version in the data (\(apiVersion)) does not match the expected API version (\(info.apiVersion))")
        }
        object["kind"] = .string(info.kind)
        object["apiVersion"] = .string(info.apiVersion)
        if object["metadata"]?.objectValue == nil { object["metadata"] = .emptyObject }
        return object
    }

    /// Settles namespace and name for a create: namespace from the URL (must agree with the body and
    /// exist), name from `name` or `generateName`, validated.
    private mutating func resolveNamespaceAndName(_ info: ResourceInfo, namespace: String?, object: inout JSONValue)
        throws(APIError) -> String
    {
        let bodyNamespace = object[path: "metadata", "namespace"]?.stringValue
        if info.namespaced {
            guard let ns = namespace ?? bodyNamespace, !ns.isEmpty else {
                throw .badRequest("the namespace of the object must be set")
            }
            if let bodyNamespace, !bodyNamespace.isEmpty, bodyNamespace != ns {
                throw .badRequest(
                    "the namespace of the provided object does not match the namespace sent on the request")
            }
            object[path: "metadata", "namespace"] = .string(ns)
            guard let nsObject = buckets[Self.namespaces]?.objects[ObjectKey(storeNamespace: "", name: ns)] else {
                throw .notFound(group: "", plural: "namespaces", name: ns)
            }
            if nsObject[path: "metadata", "deletionTimestamp"] != nil {
                throw .forbidden(
                    "\(info.plural) is forbidden: unable to create new content in namespace \(ns) because it is being terminated",
                    details: ["name": .string(ns), "kind": .string(info.plural)])
            }
        } else {
            object[path: "metadata", "namespace"] = nil
        }
        var name = object[path: "metadata", "name"]?.stringValue ?? ""
        if name.isEmpty {
            guard let prefix = object[path: "metadata", "generateName"]?.stringValue, !prefix.isEmpty else {
                throw .invalid(
                    group: info.group, kind: info.kind, name: "",
                    causes: [
                        .init(
                            reason: "FieldValueRequired", field: "metadata.name",
                            message: "Required value: name or generateName is required")
                    ])
            }
            let trimmed = String(prefix.prefix(58))
            let ns = info.namespaced ? object[path: "metadata", "namespace"]?.stringValue ?? "" : ""
            repeat {
                name = trimmed + Clock.randomSuffix()
            } while buckets[info.groupResource]?.objects[ObjectKey(storeNamespace: ns, name: name)] != nil
            object[path: "metadata", "name"] = .string(name)
        }
        if let problem = NameValidation.problem(name: name, info: info) {
            throw .invalid(
                group: info.group, kind: info.kind, name: name,
                causes: [.init(field: "metadata.name", message: "Invalid value: \"\(name)\": \(problem)")])
        }
        return name
    }

    /// Per-kind defaults the real server applies on create.
    private func prepareCreate(_ info: ResourceInfo, _ object: inout JSONValue) throws(APIError) {
        switch info.groupResource {
        case Self.namespaces:
            object[path: "spec", "finalizers"] = ["kubernetes"]
            object["status"] = ["phase": "Active"]
        case Self.crds:
            _ = try ResourceRegistry.resources(fromCRD: object)
            object["status"] = Self.crdStatus(object, since: nil)
        default:
            break
        }
    }

    /// The status a real server gives an accepted CRD: names accepted, established, stored version.
    static func crdStatus(_ crd: JSONValue, since old: JSONValue?) -> JSONValue {
        let now = Clock.now()
        var names = crd[path: "spec", "names"] ?? .emptyObject
        if names["singular"]?.stringValue == nil, let kind = names["kind"]?.stringValue {
            names["singular"] = .string(kind.lowercased())
        }
        if names["listKind"]?.stringValue == nil, let kind = names["kind"]?.stringValue {
            names["listKind"] = .string(kind + "List")
        }
        func condition(_ type: String, _ reason: String, _ message: String) -> JSONValue {
            let previous = old?[path: "status", "conditions"]?.arrayValue?.first { $0["type"]?.stringValue == type }
            return [
                "type": .string(type), "status": "True", "reason": .string(reason), "message": .string(message),
                "lastTransitionTime": previous?["lastTransitionTime"] ?? .string(now),
            ]
        }
        var stored = old?[path: "status", "storedVersions"]?.arrayValue ?? []
        if let storage = crd[path: "spec", "versions"]?.arrayValue?.first(where: { $0["storage"]?.boolValue == true })?["name"],
            !stored.contains(storage)
        {
            stored.append(storage)
        }
        return [
            "acceptedNames": names,
            "conditions": [
                condition("NamesAccepted", "NoConflicts", "no conflicts found"),
                condition("Established", "InitialNamesAccepted", "the initial names have been accepted"),
            ],
            "storedVersions": .array(stored),
        ]
    }
}
