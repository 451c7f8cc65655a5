import Foundation
import RoperatorClient
import RoperatorAPIServer
import Testing

/// `/openapi/v2`: the protobuf document decoded field by field, and kubectl's
/// `explain --output=plaintext-openapiv2`, which reads nothing else.
@Suite("OpenAPI v2", .serialized)
struct OpenAPIV2Tests {
    static let gizmoSchema: JSONValue = [
        "type": "object",
        "description": "A Gizmo makes things.",
        "properties": [
            "spec": [
                "type": "object",
                "description": "What the gizmo should make.",
                "required": ["size"],
                "properties": [
                    "size": ["type": "integer", "format": "int32", "description": "How many things the gizmo makes per hour."],
                    "port": ["x-kubernetes-int-or-string": true, "description": "Where it listens."],
                    "parts": [
                        "type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"],
                        "items": ["type": "object", "required": ["name"], "properties": ["name": ["type": "string"]]],
                    ],
                    "labels": ["type": "object", "additionalProperties": ["type": "string"]],
                ],
            ],
            "status": ["type": "object", "x-kubernetes-preserve-unknown-fields": true],
        ],
    ]

    static var gizmoCRD: JSONValue {
        [
            "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": ["name": "gizmos.example.com"],
            "spec": [
                "group": "example.com", "scope": "Namespaced",
                "names": ["plural": "gizmos", "singular": "gizmo", "kind": "Gizmo", "listKind": "GizmoList"],
                "versions": [
                    ["name": "v1", "served": true, "storage": true, "schema": ["openAPIV3Schema": gizmoSchema]]
                ],
            ],
        ]
    }

    static func document(_ client: TestHTTPClient) async throws -> OpenAPIV2TestDocument {
        let response = try await client.request(
            .GET, "/openapi/v2", headers: [("Accept", "application/com.github.proto-openapi.spec.v2@v1.0+protobuf")])
        #expect(response.status == 200)
        return try OpenAPIV2TestDocument(response.body)
    }

    @Test func builtInDefinitionsWithReferencesTypesAndPatchSemantics() async throws {
        try await withTestServer { _, client in
            let document = try await Self.document(client)
            let deployment = try #require(document.definitions["io.k8s.api.apps.v1.Deployment"])
            #expect(deployment.types == ["object"])
            #expect(deployment.properties["spec"]?.ref == "#/definitions/io.k8s.api.apps.v1.DeploymentSpec")
            #expect(deployment.properties["metadata"]?.ref == "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")
            #expect(deployment.description?.contains("Deployment enables declarative updates") == true)
            let gvk = try #require(deployment.extensions["x-kubernetes-group-version-kind"])
            #expect(gvk.contains("\"kind\":\"Deployment\"") && gvk.contains("\"group\":\"apps\""), "\(gvk)")

            let spec = try #require(document.definitions["io.k8s.api.apps.v1.DeploymentSpec"])
            let replicas = try #require(spec.properties["replicas"])
            #expect(replicas.types == ["integer"])
            #expect(replicas.format == "int32")
            #expect(replicas.description?.contains("Number of desired pods") == true)
            #expect(spec.required.contains("selector"))

            let podSpec = try #require(document.definitions["io.k8s.api.core.v1.PodSpec"])
            let containers = try #require(podSpec.properties["containers"])
            #expect(containers.types == ["array"])
            #expect(containers.items?.ref == "#/definitions/io.k8s.api.core.v1.Container")
            #expect(containers.extensions["x-kubernetes-patch-merge-key"] == "\"name\"\n")
            #expect(containers.extensions["x-kubernetes-patch-strategy"] == "\"merge\"\n")
            #expect(containers.extensions["x-kubernetes-list-type"] == "\"map\"\n")
            #expect(containers.extensions["x-kubernetes-list-map-keys"] == "[\"name\"]\n")
            let labels = try #require(document.definitions["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]?.properties["labels"])
            #expect(labels.types == ["object"])
            #expect(labels.additionalProperties?.types == ["string"])
            #expect(document.definitions["io.k8s.api.core.v1.ConfigMapList"] != nil)

            // Every reference, in the definitions and in the operations, names a definition.
            var unresolved: Set<String> = []
            for schema in document.definitions.values {
                for ref in schema.allReferences where document.definitions[String(ref.dropFirst("#/definitions/".count))] == nil {
                    unresolved.insert(ref)
                }
            }
            let operationReferences = try document.operationReferences()
            #expect(operationReferences.count > 100)
            for ref in operationReferences where document.definitions[String(ref.dropFirst("#/definitions/".count))] == nil {
                unresolved.insert(ref)
            }
            #expect(unresolved.isEmpty, "unresolved: \(unresolved.sorted())")

            // Fuller paths: the collection has list and create, the item get, put, patch and delete.
            let paths = try document.paths()
            let collection = try #require(paths["/apis/apps/v1/namespaces/{namespace}/deployments"])
            #expect(try collection.message(2)?.string(5) == "listNamespacedDeployment")
            #expect(try collection.message(4)?.string(5) == "createNamespacedDeployment")
            let item = try #require(paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"])
            let patch = try #require(try item.message(8))
            #expect(patch.strings(7).contains("application/strategic-merge-patch+json"))
            let patchExtensions = Dictionary(try patch.named(13).map { ($0.name, $0.value.string(2) ?? "") }) { a, _ in a }
            #expect(patchExtensions["x-kubernetes-action"] == "\"patch\"\n")
            let parameters = try patch.messages(8).compactMap { try $0.message(1)?.message(2)?.message(3)?.string(4) }
            #expect(parameters.contains("fieldValidation") && parameters.contains("dryRun"))
        }
    }

    @Test func customResourceDefinitionAppearsAndTheDocumentIsKeptUntilThen() async throws {
        try await withTestServer { _, client in
            let before = try await client.request(.GET, "/openapi/v2").body
            #expect(try await client.request(.GET, "/openapi/v2").body == before, "the same registry serves the same bytes")
            #expect(try OpenAPIV2TestDocument(before).definitions["com.example.v1.Gizmo"] == nil)

            #expect(
                try await client.request(.POST, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", json: Self.gizmoCRD).status
                    == 201)
            let document = try await Self.document(client)
            let gizmo = try #require(document.definitions["com.example.v1.Gizmo"])
            #expect(gizmo.description == "A Gizmo makes things.")
            #expect(gizmo.properties["metadata"]?.ref == "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")
            #expect(gizmo.properties["apiVersion"]?.types == ["string"])
            let gvk = try #require(gizmo.extensions["x-kubernetes-group-version-kind"])
            #expect(gvk.contains("\"group\":\"example.com\"") && gvk.contains("\"kind\":\"Gizmo\""), "\(gvk)")
            let spec = try #require(gizmo.properties["spec"])
            #expect(spec.required == ["size"])
            #expect(spec.properties["size"]?.types == ["integer"])
            #expect(spec.properties["size"]?.format == "int32")
            #expect(spec.properties["size"]?.description == "How many things the gizmo makes per hour.")
            // int-or-string has no single type in OpenAPI v2: published without one, as kube-apiserver does.
            #expect(spec.properties["port"]?.types == [])
            #expect(spec.properties["port"]?.extensions["x-kubernetes-int-or-string"] == "true\n")
            #expect(spec.properties["parts"]?.items?.properties["name"]?.types == ["string"])
            #expect(spec.properties["parts"]?.extensions["x-kubernetes-list-map-keys"] == "[\"name\"]\n")
            #expect(spec.properties["labels"]?.additionalProperties?.types == ["string"])
            let list = try #require(document.definitions["com.example.v1.GizmoList"])
            #expect(list.properties["items"]?.items?.ref == "#/definitions/com.example.v1.Gizmo")
            let paths = try document.paths()
            let item = try #require(paths["/apis/example.com/v1/namespaces/{namespace}/gizmos/{name}"])
            #expect(try item.message(8)?.strings(7).contains("application/strategic-merge-patch+json") == false)

            let deleted = try await client.request(.DELETE, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gizmos.example.com")
            #expect((200...202).contains(deleted.status))
            try await waitUntil("the CRD's definition is gone") {
                try await Self.document(client).definitions["com.example.v1.Gizmo"] == nil
            }
        }
    }

    /// `kubectl explain --output=plaintext-openapiv2` (the flag of 1.27 through 1.33) reads
    /// `/openapi/v2` and prints a field's type and description, for built-in and custom kinds.
    @Test(arguments: [27, 33])
    func kubectlExplainReadsOpenAPIV2(minor: Int) async throws {
        guard installedKubectls[minor] != nil else {
            print("skipping: kubectl.1.\(minor) is not installed")
            return
        }
        try await withTestServer { server, client in
            let kubectl = try KubectlTests.Kubectl(minor: minor, server: server)
            let before = server.requests.openAPIV2Documents
            let replicas = try await kubectl("explain", "--output=plaintext-openapiv2", "deployment.spec.replicas")
            #expect(replicas.contains("KIND:") && replicas.contains("Deployment"), "\(replicas)")
            #expect(replicas.contains("replicas") && replicas.contains("<integer>"), "\(replicas)")
            #expect(replicas.contains("Number of desired pods"), "\(replicas)")
            #expect(server.requests.openAPIV2Documents > before, "kubectl did not fetch /openapi/v2")

            let containers = try await kubectl("explain", "--output=plaintext-openapiv2", "pods.spec.containers")
            #expect(containers.contains("[]Object"), "\(containers)")
            #expect(containers.contains("imagePullPolicy"), "\(containers)")

            #expect(
                try await client.request(.POST, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", json: Self.gizmoCRD).status
                    == 201)
            let afterCRD = server.requests.openAPIV2Documents
            let size = try await kubectl("explain", "--output=plaintext-openapiv2", "gizmos.spec.size")
            #expect(size.contains("Gizmo") && size.contains("<integer>"), "\(size)")
            #expect(size.contains("How many things the gizmo makes per hour."), "\(size)")
            #expect(server.requests.openAPIV2Documents > afterCRD, "kubectl did not fetch /openapi/v2 again")
        }
    }
}
