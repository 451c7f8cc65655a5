import RoperatorClient

/// `/openapi/v2`, which clients only fetch as protobuf (gnostic's `openapi.v2.Document`).
///
/// - `definitions`: the Kubernetes schema of every served built-in kind and its list, with every
///   definition they refer to (descriptions, formats, required fields, list and patch
///   semantics), and for each custom resource version a definition from its CRD schema, named as
///   kube-apiserver names them (`io.k8s.api.apps.v1.Deployment`, `com.example.v1.Echo`).
///   `kubectl explain --output=plaintext-openapiv2` and kubectl's client-side apply read them.
/// - `paths`: per resource its collection, item and status paths with `get`, `put`, `post`,
///   `delete` and `patch` operations carrying `x-kubernetes-action`,
///   `x-kubernetes-group-version-kind`, the accepted patch types and the `fieldValidation` and
///   `dryRun` query parameters. kubectl 1.27 reads these to decide whether the server validates
///   fields itself; without them `create` and `apply` fail.
///
/// Built by ``OpenAPIDocuments/v2Protobuf()``, which keeps the bytes until the served resources change.
struct OpenAPIV2Document: Sendable {
    /// What the real server answers with: the `@` of the requested media type is not valid in a Content-Type.
    static let contentType = "application/octet-stream"

    let registry: ResourceRegistry
    let kubernetesVersion: String

    // Field numbers of gnostic's OpenAPIv2.proto.
    private enum Field {
        static let documentSwagger = 1, documentInfo = 2, documentPaths = 8, documentDefinitions = 9
        static let infoTitle = 1, infoVersion = 2
        static let pathsPath = 2
        static let definitionsNamed = 1
        static let namedName = 1, namedValue = 2
        static let pathItemGet = 2, pathItemPut = 3, pathItemPost = 4, pathItemDelete = 5, pathItemPatch = 8
        static let pathItemParameters = 9
        static let operationID = 5, operationProduces = 6, operationConsumes = 7, operationParameters = 8
        static let operationResponses = 9, operationVendorExtension = 13
        static let responsesCode = 1, responseValueResponse = 1, responseDescription = 1, responseSchema = 2
        static let schemaItemSchema = 1
        static let parametersItemParameter = 1
        static let parameterBody = 1, parameterNonBody = 2
        static let bodyName = 2, bodyIn = 3, bodyRequired = 4, bodySchema = 5
        static let nonBodyQuery = 3, nonBodyPath = 4
        static let queryIn = 2, queryName = 4, queryType = 6
        static let pathRequired = 1, pathIn = 2, pathName = 4, pathType = 5
    }

    private static let objectMeta = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
    private static let listMeta = "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta"
    private static let status = "io.k8s.apimachinery.pkg.apis.meta.v1.Status"
    private static let deleteOptions = "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions"

    func protobuf() -> [UInt8] {
        let resources = registry.allResources()
        var builtInNames = [Self.objectMeta, Self.listMeta, Self.status, Self.deleteOptions, OpenAPIV2Definitions.patchName]
        var custom: [String: JSONValue] = [:]
        for info in resources {
            let name = OpenAPIDocuments.schemaName(info)
            if info.builtInRootType != nil {
                builtInNames += [name, name + "List"]
            } else if info.isCustom {
                custom[name] = customSchema(info)
                custom[name + "List"] = customListSchema(info, itemName: name)
            }
        }
        let builtIn = OpenAPIV2Definitions.closure(of: builtInNames)
        let defined = Set(builtIn.keys).union(custom.keys)

        var document = ProtobufWriter()
        document.string(Field.documentSwagger, "2.0")
        document.message(Field.documentInfo) { info in
            info.string(Field.infoTitle, "Kubernetes")
            info.string(Field.infoVersion, kubernetesVersion)
        }
        document.message(Field.documentPaths) { paths in
            for info in resources { writePaths(info, defined: defined, to: &paths) }
        }
        document.message(Field.documentDefinitions) { definitions in
            for name in defined.sorted() {
                if let own = custom[name] {
                    definitions.message(Field.definitionsNamed) { named in
                        named.string(Field.namedName, name)
                        var references: [String] = []
                        named.message(Field.namedValue) { OpenAPIV2Schema.write(own, to: &$0, references: &references) }
                    }
                } else if let encoded = builtIn[name] {
                    definitions.bytes(Field.definitionsNamed, encoded.namedSchema)
                }
            }
        }
        return document.bytes
    }

    // MARK: Definitions of custom resources

    /// The CRD version's schema with `apiVersion`, `kind`, `metadata` and the kind extension.
    private func customSchema(_ info: ResourceInfo) -> JSONValue {
        var schema: JSONValue = info.schema ?? ["type": "object", "x-kubernetes-preserve-unknown-fields": true]
        var properties = schema["properties"]?.objectValue ?? [:]
        properties["apiVersion"] = [
            "type": "string",
            "description":
                "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values.",
        ]
        properties["kind"] = [
            "type": "string",
            "description":
                "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to.",
        ]
        properties["metadata"] = [
            "$ref": .string(OpenAPIV2Schema.definitionsPrefix + Self.objectMeta),
            "description": "Standard object's metadata.",
        ]
        schema["properties"] = .object(properties)
        schema["type"] = "object"
        schema["x-kubernetes-group-version-kind"] = [Self.gvk(info, kind: info.kind)]
        return schema
    }

    private func customListSchema(_ info: ResourceInfo, itemName: String) -> JSONValue {
        [
            "type": "object",
            "description": .string("\(info.kind)List is a list of \(info.kind)"),
            "required": ["items"],
            "properties": [
                "apiVersion": ["type": "string"],
                "kind": ["type": "string"],
                "metadata": ["$ref": .string(OpenAPIV2Schema.definitionsPrefix + Self.listMeta)],
                "items": [
                    "type": "array", "description": .string("List of \(info.plural)."),
                    "items": ["$ref": .string(OpenAPIV2Schema.definitionsPrefix + itemName)],
                ],
            ],
            "x-kubernetes-group-version-kind": [Self.gvk(info, kind: info.listKind)],
        ]
    }

    private static func gvk(_ info: ResourceInfo, kind: String) -> JSONValue {
        ["group": .string(info.group), "kind": .string(kind), "version": .string(info.version)]
    }

    // MARK: Paths

    /// - Parameter defined: the definitions of the document; a body or response whose kind has
    ///   none (a built-in kind without a Kubernetes schema) is written without a schema.
    private func writePaths(_ info: ResourceInfo, defined: Set<String>, to paths: inout ProtobufWriter) {
        let prefix = info.group.isEmpty ? "/api/\(info.version)" : "/apis/\(info.group)/\(info.version)"
        let collection = info.namespaced ? "\(prefix)/namespaces/{namespace}/\(info.plural)" : "\(prefix)/\(info.plural)"
        let scope = info.namespaced ? "Namespaced" : ""
        let name = OpenAPIDocuments.schemaName(info)
        let gvk = Self.gvk(info, kind: info.kind)
        let patchTypes = info.isCustom ? [PatchType.json, .merge, .apply] : [PatchType.json, .merge, .strategic, .apply]
        let namespace = info.namespaced ? ["namespace"] : []
        let listParameters: [(String, String)] = [
            ("continue", "string"), ("fieldSelector", "string"), ("labelSelector", "string"), ("limit", "integer"),
            ("resourceVersion", "string"), ("timeoutSeconds", "integer"), ("watch", "boolean"),
        ]
        let writeParameters: [(String, String)] = [("dryRun", "string"), ("fieldManager", "string"), ("fieldValidation", "string")]

        path(collection, pathParameters: namespace, to: &paths) { item in
            item.message(Field.pathItemGet) {
                operation(
                    "list\(scope)\(info.kind)", action: "list", gvk: gvk, query: listParameters, response: name + "List", defined: defined,
                    to: &$0)
            }
            item.message(Field.pathItemPost) {
                operation(
                    "create\(scope)\(info.kind)", action: "post", gvk: gvk, query: writeParameters, body: name, response: name,
                    defined: defined, to: &$0)
            }
            item.message(Field.pathItemDelete) {
                operation(
                    "deletecollection\(scope)\(info.kind)", action: "deletecollection", gvk: gvk, query: listParameters,
                    response: Self.status, defined: defined, to: &$0)
            }
        }
        for subresource in info.hasStatus ? ["", "/status"] : [""] {
            let suffix = subresource.isEmpty ? "" : "Status"
            path(collection + "/{name}" + subresource, pathParameters: ["name"] + namespace, to: &paths) { item in
                item.message(Field.pathItemGet) {
                    operation(
                        "read\(scope)\(info.kind)\(suffix)", action: "get", gvk: gvk, query: [], response: name, defined: defined, to: &$0)
                }
                item.message(Field.pathItemPut) {
                    operation(
                        "replace\(scope)\(info.kind)\(suffix)", action: "put", gvk: gvk, query: writeParameters, body: name,
                        response: name, defined: defined, to: &$0)
                }
                item.message(Field.pathItemPatch) {
                    operation(
                        "patch\(scope)\(info.kind)\(suffix)", action: "patch", gvk: gvk,
                        query: writeParameters + [("force", "boolean")], body: OpenAPIV2Definitions.patchName,
                        consumes: patchTypes.map(\.rawValue), response: name, defined: defined, to: &$0)
                }
                if subresource.isEmpty {
                    item.message(Field.pathItemDelete) {
                        operation(
                            "delete\(scope)\(info.kind)", action: "delete", gvk: gvk,
                            query: [("dryRun", "string"), ("gracePeriodSeconds", "integer"), ("propagationPolicy", "string")],
                            body: Self.deleteOptions, response: Self.status, defined: defined, to: &$0)
                    }
                }
            }
        }
    }

    private func path(
        _ path: String, pathParameters: [String], to paths: inout ProtobufWriter, build: (inout ProtobufWriter) -> Void
    ) {
        paths.message(Field.pathsPath) { named in
            named.string(Field.namedName, path)
            named.message(Field.namedValue) { item in
                build(&item)
                for parameter in pathParameters {
                    item.message(Field.pathItemParameters) { wrapped in
                        wrapped.message(Field.parametersItemParameter) { parameterMessage in
                            parameterMessage.message(Field.parameterNonBody) { nonBody in
                                nonBody.message(Field.nonBodyPath) { path in
                                    path.bool(Field.pathRequired, true)
                                    path.string(Field.pathIn, "path")
                                    path.string(Field.pathName, parameter)
                                    path.string(Field.pathType, "string")
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private func operation(
        _ id: String, action: String, gvk: JSONValue, query: [(String, String)], body: String? = nil, consumes: [String] = ["*/*"],
        response: String, defined: Set<String>, to operation: inout ProtobufWriter
    ) {
        operation.string(Field.operationID, id)
        for type in ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"] {
            operation.string(Field.operationProduces, type)
        }
        for type in consumes { operation.string(Field.operationConsumes, type) }
        if let body, defined.contains(body) {
            operation.message(Field.operationParameters) { item in
                item.message(Field.parametersItemParameter) { parameter in
                    parameter.message(Field.parameterBody) { bodyParameter in
                        bodyParameter.string(Field.bodyName, "body")
                        bodyParameter.string(Field.bodyIn, "body")
                        bodyParameter.bool(Field.bodyRequired, action != "delete")
                        bodyParameter.message(Field.bodySchema) { Self.reference(body, to: &$0) }
                    }
                }
            }
        }
        for (name, type) in query {
            operation.message(Field.operationParameters) { item in
                item.message(Field.parametersItemParameter) { parameter in
                    parameter.message(Field.parameterNonBody) { nonBody in
                        nonBody.message(Field.nonBodyQuery) { query in
                            query.string(Field.queryIn, "query")
                            query.string(Field.queryName, name)
                            query.string(Field.queryType, type)
                        }
                    }
                }
            }
        }
        operation.message(Field.operationResponses) { responses in
            responses.message(Field.responsesCode) { named in
                named.string(Field.namedName, "200")
                named.message(Field.namedValue) { value in
                    value.message(Field.responseValueResponse) { responseMessage in
                        responseMessage.string(Field.responseDescription, "OK")
                        if defined.contains(response) {
                            responseMessage.message(Field.responseSchema) { item in
                                item.message(Field.schemaItemSchema) { Self.reference(response, to: &$0) }
                            }
                        }
                    }
                }
            }
        }
        OpenAPIV2Schema.vendorExtension("x-kubernetes-action", .string(action), to: &operation, field: Field.operationVendorExtension)
        OpenAPIV2Schema.vendorExtension("x-kubernetes-group-version-kind", gvk, to: &operation, field: Field.operationVendorExtension)
    }

    /// A schema that is only a reference to a definition.
    private static func reference(_ name: String, to schema: inout ProtobufWriter) {
        schema.string(OpenAPIV2Schema.Field.ref, OpenAPIV2Schema.definitionsPrefix + name)
    }
}
