import RoperatorClient

/// OpenAPI v3 documents: a root listing one document per served group-version, and per
/// group-version documents whose operations carry what kubectl looks for (the
/// `x-kubernetes-group-version-kind` extension, the `fieldValidation` and `dryRun` query parameters,
/// the accepted patch content types) plus, for custom resources, the CRD's `openAPIV3Schema`.
struct OpenAPIDocuments: Sendable {
    let registry: ResourceRegistry
    let kubernetesVersion: String
    let cache = OpenAPICache<JSONValue>()
    private let v2Cache = OpenAPICache<[UInt8]>()

    /// `/openapi/v2` as protobuf, built on the first request after a change of the served
    /// resources (never at start-up: most servers are never asked for it).
    func v2Protobuf() -> [UInt8] {
        v2Cache.document("", generation: registry.changeCount) {
            OpenAPIV2Document(registry: registry, kubernetesVersion: kubernetesVersion).protobuf()
        } ?? []
    }

    /// `/openapi/v3`.
    func root() -> JSONValue {
        cache.document("", generation: registry.changeCount) { buildRoot() } ?? .emptyObject
    }

    private func buildRoot() -> JSONValue {
        var paths: [String: JSONValue] = [:]
        for group in registry.groups() {
            for version in group.versions {
                let key = Self.pathKey(group: group.name, version: version)
                let hash = documentHash(group: group.name, version: version)
                paths[key] = ["serverRelativeURL": .string("/openapi/v3/\(key)?hash=\(hash)")]
            }
        }
        return ["paths": .object(paths)]
    }

    /// `api/v1` or `apis/<group>/<version>`.
    static func pathKey(group: String, version: String) -> String {
        group.isEmpty ? "api/\(version)" : "apis/\(group)/\(version)"
    }

    /// A hash of the group-version document, as the real root advertises so clients can cache.
    ///
    /// It covers the document without the Kubernetes schemas, which are the same for every
    /// server of a process (their names are in it): hashing hundreds of them on every change of
    /// the CRDs would hold up the shared event loops.
    func documentHash(group: String, version: String) -> String {
        let key = "hash " + Self.pathKey(group: group, version: version)
        let hash = cache.document(key, generation: registry.changeCount) {
            guard let document = buildDocument(group: group, version: version, builtInSchemas: false) else { return nil }
            return .string(String(FNV1a.hash(document.serializedBytes()), radix: 16, uppercase: true))
        }
        return hash?.stringValue ?? "0"
    }

    /// `/openapi/v3/api/v1` or `/openapi/v3/apis/<group>/<version>`; `nil` when not served.
    func document(group: String, version: String) -> JSONValue? {
        cache.document(Self.pathKey(group: group, version: version), generation: registry.changeCount) {
            buildDocument(group: group, version: version)
        }
    }

    /// - Parameter builtInSchemas: include the Kubernetes schemas (else only their names, in
    ///   `x-kubernetes-schemas`, for the hash).
    private func buildDocument(group: String, version: String, builtInSchemas: Bool = true) -> JSONValue? {
        guard let resources = registry.resources(group: group, version: version) else { return nil }
        var paths: [String: JSONValue] = [:]
        var schemas: [String: JSONValue] = ["io.k8s.apimachinery.pkg.apis.meta.v1.Patch": Self.patchSchema]
        var builtIn = [Self.objectMeta, Self.listMeta, Self.status]
        let prefix = "/" + Self.pathKey(group: group, version: version)
        for info in resources {
            let schemaName = Self.schemaName(info)
            let listSchemaName = schemaName + "List"
            let gvk: JSONValue = ["group": .string(info.group), "version": .string(info.version), "kind": .string(info.kind)]
            if info.builtInRootType != nil {
                // The Kubernetes schemas themselves: kubectl explain, validation and strategic
                // merge patches read them.
                builtIn += [schemaName, listSchemaName]
            } else {
                schemas[schemaName] = objectSchema(info, gvk: gvk)
                schemas[listSchemaName] = [
                    "type": "object",
                    "required": ["items"],
                    "properties": [
                        "apiVersion": ["type": "string"],
                        "kind": ["type": "string"],
                        "metadata": ["$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta"],
                        "items": ["type": "array", "items": ["$ref": .string("#/components/schemas/\(schemaName)")]],
                    ],
                    "x-kubernetes-group-version-kind": [
                        ["group": .string(info.group), "version": .string(info.version), "kind": .string(info.listKind)]
                    ],
                ]
            }
            let scoped = info.namespaced ? "\(prefix)/namespaces/{namespace}/\(info.plural)" : "\(prefix)/\(info.plural)"
            let scopeWord = info.namespaced ? "Namespaced" : ""
            let patchTypes =
                info.isCustom
                ? [PatchType.json, .merge, .apply]
                : [PatchType.json, .merge, .strategic, .apply]
            paths[scoped] = collectionPath(
                info, gvk: gvk, schemaName: schemaName, listSchemaName: listSchemaName, operationSuffix: "\(scopeWord)\(info.kind)")
            paths[scoped + "/{name}"] = itemPath(
                info, gvk: gvk, schemaName: schemaName, patchTypes: patchTypes, operationSuffix: "\(scopeWord)\(info.kind)")
            if info.hasStatus {
                paths[scoped + "/{name}/status"] = itemPath(
                    info, gvk: gvk, schemaName: schemaName, patchTypes: patchTypes, operationSuffix: "\(scopeWord)\(info.kind)Status",
                    deletable: false)
            }
            if info.namespaced {
                paths["\(prefix)/\(info.plural)"] = [
                    "get": operation(
                        id: "list\(info.kind)ForAllNamespaces", action: "list", gvk: gvk, parameters: Self.listParameters,
                        responseSchema: listSchemaName)
                ]
            }
        }
        if builtInSchemas {
            schemas.merge(BuiltInDefinitions.shared.openAPIV3Schemas(closureOf: builtIn)) { own, _ in own }
        } else {
            schemas["x-kubernetes-schemas"] = .array(builtIn.map { .string($0) })
        }
        return [
            "openapi": "3.0.0",
            "info": ["title": "Kubernetes", "version": .string(kubernetesVersion)],
            "paths": .object(paths),
            "components": ["schemas": .object(schemas)],
        ]
    }

    /// The components name of a kind: reversed group domain, version and kind, as the real server
    /// names CRD schemas (`com.example.v1.Echo`); built-ins use their Go package path.
    static func schemaName(_ info: ResourceInfo) -> String {
        if !info.isCustom {
            let gvk = BuiltInDefinitions.GroupVersionKind(group: info.group, version: info.version, kind: info.kind)
            if let name = BuiltInDefinitions.shared.names[gvk] { return name }
            let package = info.group.isEmpty ? "core" : String(info.group.split(separator: ".").first ?? "")
            let apiGroup =
                info.group == "apiextensions.k8s.io" ? "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions" : "io.k8s.api.\(package)"
            return "\(apiGroup).\(info.version).\(info.kind)"
        }
        return info.group.split(separator: ".").reversed().joined(separator: ".") + ".\(info.version).\(info.kind)"
    }

    private func objectSchema(_ info: ResourceInfo, gvk: JSONValue) -> JSONValue {
        var schema: JSONValue = info.schema ?? ["type": "object", "x-kubernetes-preserve-unknown-fields": true]
        var properties = schema["properties"]?.objectValue ?? [:]
        properties["apiVersion"] = ["type": "string"]
        properties["kind"] = ["type": "string"]
        properties["metadata"] = ["$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]
        schema["properties"] = .object(properties)
        schema["type"] = "object"
        // A built-in kind without a Kubernetes schema gets a loose one without the kind extension,
        // so that kubectl computes strategic merge patches from its compiled-in types.
        if info.isCustom {
            schema["x-kubernetes-group-version-kind"] = [gvk]
        }
        return schema
    }

    private func collectionPath(_ info: ResourceInfo, gvk: JSONValue, schemaName: String, listSchemaName: String, operationSuffix: String)
        -> JSONValue
    {
        var item: JSONValue = [
            "get": operation(
                id: "list\(operationSuffix)", action: "list", gvk: gvk, parameters: Self.listParameters, responseSchema: listSchemaName),
            "post": operation(
                id: "create\(operationSuffix)", action: "post", gvk: gvk, parameters: Self.writeParameters,
                responseSchema: schemaName, requestBody: requestBody(["application/json", "application/yaml"], schemaRef: schemaName)),
            "delete": operation(
                id: "deletecollection\(operationSuffix)", action: "deletecollection", gvk: gvk, parameters: Self.listParameters,
                responseSchema: "io.k8s.apimachinery.pkg.apis.meta.v1.Status"),
        ]
        if info.namespaced { item["parameters"] = [Self.pathParameter("namespace")] }
        return item
    }

    private func itemPath(
        _ info: ResourceInfo, gvk: JSONValue, schemaName: String, patchTypes: [PatchType], operationSuffix: String, deletable: Bool = true
    ) -> JSONValue {
        var item: JSONValue = [
            "get": operation(id: "read\(operationSuffix)", action: "get", gvk: gvk, parameters: [], responseSchema: schemaName),
            "put": operation(
                id: "replace\(operationSuffix)", action: "put", gvk: gvk, parameters: Self.writeParameters,
                responseSchema: schemaName, requestBody: requestBody(["application/json", "application/yaml"], schemaRef: schemaName)),
            "patch": operation(
                id: "patch\(operationSuffix)", action: "patch", gvk: gvk,
                parameters: Self.writeParameters + [Self.queryParameter("force", type: "boolean")],
                responseSchema: schemaName,
                requestBody: requestBody(patchTypes.map(\.rawValue), schemaRef: "io.k8s.apimachinery.pkg.apis.meta.v1.Patch")),
        ]
        if deletable {
            item["delete"] = operation(
                id: "delete\(operationSuffix)", action: "delete", gvk: gvk,
                parameters: [
                    Self.queryParameter("dryRun"), Self.queryParameter("gracePeriodSeconds", type: "integer"),
                    Self.queryParameter("propagationPolicy"),
                ],
                responseSchema: "io.k8s.apimachinery.pkg.apis.meta.v1.Status")
        }
        var parameters: [JSONValue] = [Self.pathParameter("name")]
        if info.namespaced { parameters.append(Self.pathParameter("namespace")) }
        item["parameters"] = .array(parameters)
        return item
    }

    private func operation(
        id: String, action: String, gvk: JSONValue, parameters: [JSONValue], responseSchema: String, requestBody: JSONValue? = nil
    ) -> JSONValue {
        var op: JSONValue = [
            "operationId": .string(id),
            "x-kubernetes-action": .string(action),
            "x-kubernetes-group-version-kind": gvk,
            "responses": [
                "200": [
                    "description": "OK",
                    "content": ["application/json": ["schema": ["$ref": .string("#/components/schemas/\(responseSchema)")]]],
                ],
                "401": ["description": "Unauthorized"],
            ],
        ]
        if !parameters.isEmpty { op["parameters"] = .array(parameters) }
        if let requestBody { op["requestBody"] = requestBody }
        return op
    }

    private func requestBody(_ contentTypes: [String], schemaRef: String) -> JSONValue {
        var content: [String: JSONValue] = [:]
        for type in contentTypes {
            content[type] = ["schema": ["$ref": .string("#/components/schemas/\(schemaRef)")]]
        }
        return ["content": .object(content), "required": true]
    }

    private static func queryParameter(_ name: String, type: String = "string") -> JSONValue {
        ["name": .string(name), "in": "query", "schema": ["type": .string(type), "uniqueItems": true]]
    }

    private static func pathParameter(_ name: String) -> JSONValue {
        ["name": .string(name), "in": "path", "required": true, "schema": ["type": "string", "uniqueItems": true]]
    }

    private static let writeParameters: [JSONValue] = [
        queryParameter("dryRun"), queryParameter("fieldManager"), queryParameter("fieldValidation"),
    ]

    private static let listParameters: [JSONValue] = [
        queryParameter("allowWatchBookmarks", type: "boolean"), queryParameter("continue"), queryParameter("fieldSelector"),
        queryParameter("labelSelector"), queryParameter("limit", type: "integer"), queryParameter("resourceVersion"),
        queryParameter("resourceVersionMatch"), queryParameter("sendInitialEvents", type: "boolean"),
        queryParameter("timeoutSeconds", type: "integer"), queryParameter("watch", type: "boolean"),
    ]

    private static let objectMeta = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
    private static let listMeta = "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta"
    private static let status = "io.k8s.apimachinery.pkg.apis.meta.v1.Status"

    /// The request body of a patch, which has no schema of its own.
    private static let patchSchema: JSONValue = [
        "type": "object",
        "description": "Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.",
    ]
}
