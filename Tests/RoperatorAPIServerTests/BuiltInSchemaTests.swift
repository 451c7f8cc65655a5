import Foundation
import RoperatorClient
import RoperatorAPIServer
import Testing

/// Built-in kinds are decoded and validated by the Kubernetes 1.33 schemas, drive strategic merge
/// patch and server-side apply, and are served in OpenAPI v3.
@Suite("Built-in schemas")
struct BuiltInSchemaTests {
    static let deployments = "/apis/apps/v1/namespaces/default/deployments"

    @Test func wrongTypesAndOversizedIntegersAre400() async throws {
        try await withTestServer { _, client in
            var wrong = deployment("wrong")
            wrong[path: "spec", "replicas"] = "three"
            let response = try await client.request(.POST, Self.deployments, json: wrong)
            #expect(response.status == 400)
            #expect(try response.json["reason"] == "BadRequest")
            #expect(response.text.contains("cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32"))

            var tooBig = deployment("big")
            tooBig[path: "spec", "replicas"] = .int(Int64(Int32.max) + 1)
            #expect(try await client.request(.POST, Self.deployments, json: tooBig).status == 400)

            // A 5,000-digit generation does not fit int64.
            let digits = String(repeating: "9", count: 5000)
            let body = #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"g","generation":\#(digits)}}"#
            let huge = try await client.request(
                .POST, "/api/v1/namespaces/default/configmaps", body: body, contentType: "application/json")
            #expect(huge.status == 400, "\(huge.text.prefix(300))")
            // The JSON reader refuses a number this long before the schema sees it; either way a 400.
            #expect(huge.text.contains("ObjectMeta.metadata.generation of type int64") || huge.text.contains("number out of range"))

            let badQuantity = try await client.request(.POST, Self.deployments, json: deployment("q", cpu: "lots"))
            #expect(badQuantity.status == 400)
            #expect(badQuantity.text.contains("quantities must match the regular expression"))
        }
    }

    @Test func missingRequiredFieldsAre422() async throws {
        try await withTestServer { _, client in
            var noSelector = deployment("nosel")
            noSelector[path: "spec", "selector"] = nil
            let response = try await client.request(.POST, Self.deployments, json: noSelector)
            #expect(response.status == 422)
            let status = try response.json
            #expect(status["reason"] == "Invalid")
            let causes = status[path: "details", "causes"]?.arrayValue ?? []
            #expect(causes.contains { $0["field"] == "spec.selector" && $0["reason"] == "FieldValueRequired" })
        }
    }

    @Test func unknownFieldsFollowFieldValidation() async throws {
        try await withTestServer { _, client in
            var odd = deployment("odd")
            odd[path: "spec", "colour"] = "blue"
            odd[path: "spec", "template", "spec", "containers"] = [["name": "web", "image": "nginx", "shape": "round"]]
            let strict = try await client.request(.POST, Self.deployments + "?fieldValidation=Strict", json: odd)
            #expect(strict.status == 400)
            #expect(strict.text.contains(#"unknown field \"spec.colour\""#))
            #expect(strict.text.contains(#"unknown field \"spec.template.spec.containers[0].shape\""#))

            for mode in ["Ignore", "Warn"] {
                var named = odd
                named[path: "metadata", "name"] = .string("odd-\(mode.lowercased())")
                let created = try await client.request(.POST, Self.deployments + "?fieldValidation=\(mode)", json: named)
                #expect(created.status == 201)
                #expect(try created.json[path: "spec", "colour"] == nil)
                #expect(try created.json[path: "spec", "template", "spec", "containers"]?[0]?["shape"] == nil)
            }
        }
    }

    @Test func strategicMergePatchUsesTheSchemasMergeKeys() async throws {
        try await withTestServer { _, client in
            var two = deployment("two")
            two[path: "spec", "template", "spec", "containers"] = [
                ["name": "a", "image": "a:1", "ports": [["containerPort": 80, "name": "http"]]],
                ["name": "b", "image": "b:1"],
            ]
            #expect(try await client.request(.POST, Self.deployments, json: two).status == 201)
            let patch: JSONValue = [
                "spec": [
                    "template": [
                        "spec": [
                            "containers": [
                                ["name": "a", "ports": [["containerPort": 8080, "name": "alt"]]],
                                ["name": "b", "image": "b:2"],
                            ]
                        ]
                    ]
                ]
            ]
            let patched = try await client.request(
                .PATCH, Self.deployments + "/two", json: patch, contentType: "application/strategic-merge-patch+json")
            #expect(patched.status == 200, "\(patched.text)")
            let containers = try patched.json[path: "spec", "template", "spec", "containers"]?.arrayValue ?? []
            #expect(containers.count == 2)
            #expect(containers.first { $0["name"] == "a" }?["ports"]?.arrayValue?.compactMap { $0["containerPort"] } == [80, 8080])
            #expect(containers.first { $0["name"] == "b" }?["image"] == "b:2")

            // Service ports merge by port; a ConfigMap-like atomic list (tolerations) is replaced.
            _ = try await client.request(.POST, "/api/v1/namespaces/default/services", json: service("s"))
            let servicePatch: JSONValue = ["spec": ["ports": [["port": 443, "name": "https"]]]]
            let svc = try await client.request(
                .PATCH, "/api/v1/namespaces/default/services/s", json: servicePatch,
                contentType: "application/strategic-merge-patch+json"
            ).json
            #expect(svc[path: "spec", "ports"]?.arrayValue?.compactMap { $0["port"] } == [80, 443])
        }
    }

    @Test func serverSideApplyTwiceWithAChangedListEntry() async throws {
        try await withTestServer { _, client in
            let path = Self.deployments + "/ssa?fieldManager=me"
            let first = try await client.request(
                .PATCH, path, body: deployment("ssa").serialized(), contentType: "application/apply-patch+yaml")
            #expect(first.status == 201, "\(first.text)")
            var changed = deployment("ssa")
            changed[path: "spec", "template", "spec", "containers"] = [
                ["name": "web", "image": "nginx:1.26", "ports": [["containerPort": 8080, "name": "http"]]]
            ]
            let second = try await client.request(
                .PATCH, path, body: changed.serialized(), contentType: "application/apply-patch+yaml")
            #expect(second.status == 200, "\(second.text)")
            let containers = try second.json[path: "spec", "template", "spec", "containers"]?.arrayValue ?? []
            #expect(containers.count == 1)
            #expect(containers.first?["image"] == "nginx:1.26")
            #expect(containers.first?["ports"] == [["containerPort": 8080, "name": "http", "protocol": "TCP"]])

            // Applying the same configuration again changes nothing.
            let third = try await client.request(
                .PATCH, path, body: changed.serialized(), contentType: "application/apply-patch+yaml")
            #expect(try third.json[path: "metadata", "resourceVersion"] == second.json[path: "metadata", "resourceVersion"])
        }
    }

    @Test func openAPIV3ServesTheBuiltInSchemas() async throws {
        try await withTestServer { _, client in
            let root = try await client.request(.GET, "/openapi/v3").json
            let apps = try #require(root[path: "paths", "apis/apps/v1", "serverRelativeURL"]?.stringValue)
            let document = try await client.request(.GET, apps).json
            let schemas = try #require(document[path: "components", "schemas"])
            let deployment = try #require(schemas["io.k8s.api.apps.v1.Deployment"])
            #expect(deployment["x-kubernetes-group-version-kind"] == [["group": "apps", "kind": "Deployment", "version": "v1"]])
            #expect(deployment[path: "properties", "spec", "$ref"] == "#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec")
            let containers = try #require(schemas[path: "io.k8s.api.core.v1.PodSpec", "properties", "containers"])
            #expect(containers["x-kubernetes-patch-merge-key"] == "name")
            #expect(containers["x-kubernetes-list-type"] == "map")
            #expect(schemas["io.k8s.apimachinery.pkg.api.resource.Quantity"] != nil)
            #expect(schemas["io.k8s.api.core.v1.Container"] != nil)
        }
    }

    @Test func bodiesAndObjectsHaveKubeAPIServersLimits() async throws {
        try await withTestServer { _, client in
            let big = String(repeating: "x", count: 3 * 1024 * 1024)
            let tooLarge = try await client.request(
                .POST, "/api/v1/namespaces/default/configmaps", json: configMap("huge", data: ["a": big]))
            #expect(tooLarge.status == 413)
            #expect(tooLarge.text.contains("Request entity too large: limit is 3145728"))

            let overLimit = String(repeating: "y", count: 1600 * 1024)
            let overEtcd = try await client.request(
                .POST, "/api/v1/namespaces/default/configmaps", json: configMap("large", data: ["a": overLimit]))
            #expect(overEtcd.status == 500)
            #expect(overEtcd.text.contains("etcdserver: request is too large"))
            #expect(try await client.request(.GET, "/api/v1/namespaces/default/configmaps/large").status == 404)
        }
    }
}
