/// `/openapi/v2`, which clients only fetch as protobuf (gnostic's `openapi.v2.Document`): paths with
/// `patch` operations carrying `x-kubernetes-group-version-kind` and the `fieldValidation` and
/// `dryRun` query parameters. kubectl 1.27 reads this document, and nothing else, to decide whether
/// the server validates fields itself; without it `create` and `apply` fail.
struct OpenAPIV2Document: Sendable {
    /// What the real server answers with: the `@` of the requested media type is not valid in a Content-Type.
    static let contentType = "application/octet-stream"

    let registry: ResourceRegistry
    let kubernetesVersion: String

    // Field numbers of gnostic's OpenAPIv2.proto.
    private enum Field {
        static let documentSwagger = 1, documentInfo = 2, documentPaths = 8
        static let infoTitle = 1, infoVersion = 2
        static let pathsPath = 2
        static let namedName = 1, namedValue = 2
        static let pathItemGet = 2, pathItemPatch = 8
        static let operationID = 5, operationParameters = 8, operationVendorExtension = 13
        static let parametersItemParameter = 1
        static let parameterNonBody = 2
        static let nonBodyQuery = 3
        static let queryIn = 2, queryName = 4, queryType = 6
        static let anyYAML = 2
    }

    func protobuf() -> [UInt8] {
        var document = ProtobufWriter()
        document.string(Field.documentSwagger, "2.0")
        document.message(Field.documentInfo) { info in
            info.string(Field.infoTitle, "Kubernetes")
            info.string(Field.infoVersion, kubernetesVersion)
        }
        document.message(Field.documentPaths) { paths in
            for info in registry.allResources() {
                let prefix = info.group.isEmpty ? "/api/\(info.version)" : "/apis/\(info.group)/\(info.version)"
                let path = info.namespaced ? "\(prefix)/namespaces/{namespace}/\(info.plural)/{name}" : "\(prefix)/\(info.plural)/{name}"
                paths.message(Field.pathsPath) { named in
                    named.string(Field.namedName, path)
                    named.message(Field.namedValue) { item in
                        item.message(Field.pathItemPatch) { operation in
                            operation.string(Field.operationID, "patch\(info.namespaced ? "Namespaced" : "")\(info.kind)")
                            for parameter in ["dryRun", "fieldManager", "fieldValidation", "force"] {
                                operation.message(Field.operationParameters) { item in
                                    item.message(Field.parametersItemParameter) { wrapped in
                                        wrapped.message(Field.parameterNonBody) { nonBody in
                                            nonBody.message(Field.nonBodyQuery) { query in
                                                query.string(Field.queryIn, "query")
                                                query.string(Field.queryName, parameter)
                                                query.string(Field.queryType, parameter == "force" ? "boolean" : "string")
                                            }
                                        }
                                    }
                                }
                            }
                            operation.message(Field.operationVendorExtension) { named in
                                named.string(Field.namedName, "x-kubernetes-group-version-kind")
                                named.message(Field.namedValue) { any in
                                    any.string(Field.anyYAML, "group: \"\(info.group)\"\nkind: \(info.kind)\nversion: \(info.version)\n")
                                }
                            }
                        }
                    }
                }
            }
        }
        return document.bytes
    }
}
