import RoperatorClient
import RoperatorAPIServer
import Testing

@Suite("Discovery and OpenAPI")
struct DiscoveryTests {
    static let v2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
    static let v2beta1 = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList"

    @Test func legacyDocuments() async throws {
        try await withTestServer { server, client in
            let api = try await client.request(.GET, "/api").json
            #expect(api["kind"] == "APIVersions")
            #expect(api["versions"] == ["v1"])
            #expect(api["serverAddressByClientCIDRs"]?.arrayValue?.isEmpty == false)

            let groups = try await client.request(.GET, "/apis").json
            #expect(groups["kind"] == "APIGroupList")
            let names = groups["groups"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            for expected in ["apps", "batch", "coordination.k8s.io", "events.k8s.io", "apiextensions.k8s.io"] {
                #expect(names.contains(expected), "missing group \(expected)")
            }

            let core = try await client.request(.GET, "/api/v1").json
            #expect(core["kind"] == "APIResourceList")
            #expect(core["groupVersion"] == "v1")
            let resources = core["resources"]?.arrayValue ?? []
            let configMaps = try #require(resources.first { $0["name"] == "configmaps" })
            #expect(configMaps["kind"] == "ConfigMap")
            #expect(configMaps["namespaced"] == true)
            #expect(configMaps["shortNames"] == ["cm"])
            #expect(configMaps["verbs"]?.arrayValue?.contains("watch") == true)
            #expect(resources.contains { $0["name"] == "namespaces" && $0["namespaced"] == false })
            #expect(resources.contains { $0["name"] == "pods/status" })

            let apps = try await client.request(.GET, "/apis/apps/v1").json
            #expect(apps["groupVersion"] == "apps/v1")
            #expect(apps["resources"]?.arrayValue?.contains { $0["name"] == "deployments" } == true)
            #expect(try await client.request(.GET, "/apis/apps").json["preferredVersion"]?["groupVersion"] == "apps/v1")
            #expect(try await client.request(.GET, "/apis/nope.example.com/v1").status == 404)
        }
    }

    @Test(arguments: [v2, v2beta1])
    func aggregatedDiscoveryAnswersTheVersionAskedFor(accept: String) async throws {
        try await withTestServer { _, client in
            for path in ["/api", "/apis"] {
                let response = try await client.request(.GET, path, headers: [("Accept", accept + ",application/json")])
                #expect(response.status == 200)
                #expect(response.contentType == accept)
                let json = try response.json
                #expect(json["kind"] == "APIGroupDiscoveryList")
                let version = accept.contains("v2beta1") ? "apidiscovery.k8s.io/v2beta1" : "apidiscovery.k8s.io/v2"
                #expect(json["apiVersion"] == .string(version))
                #expect(json["items"]?.arrayValue?.isEmpty == false)
            }
            let apis = try await client.request(.GET, "/apis", headers: [("Accept", accept)]).json
            let apps = try #require(apis["items"]?.arrayValue?.first { $0[path: "metadata", "name"] == "apps" })
            let deployments = try #require(apps["versions"]?[0]?["resources"]?.arrayValue?.first { $0["resource"] == "deployments" })
            #expect(deployments["scope"] == "Namespaced")
            #expect(deployments[path: "responseKind", "kind"] == "Deployment")
            #expect(deployments["subresources"]?[0]?["subresource"] == "status")
        }
    }

    @Test func plainAcceptGetsLegacyDiscovery() async throws {
        try await withTestServer { _, client in
            let response = try await client.request(.GET, "/apis", headers: [("Accept", "application/json, */*")])
            #expect(response.contentType == "application/json")
            #expect(try response.json["kind"] == "APIGroupList")
        }
    }

    @Test func customResourceDefinitionAppearsInDiscovery() async throws {
        try await withTestServer { _, client in
            #expect(try await client.request(.GET, "/apis/example.com/v1").status == 404)
            #expect(
                try await client.request(.POST, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", json: widgetCRD()).status == 201)
            let list = try await client.request(.GET, "/apis/example.com/v1").json
            let widgets = try #require(list["resources"]?.arrayValue?.first { $0["name"] == "widgets" })
            #expect(widgets["kind"] == "Widget")
            #expect(widgets["shortNames"] == ["wd"])
            #expect(list["resources"]?.arrayValue?.contains { $0["name"] == "widgets/status" } == true)
            let aggregated = try await client.request(.GET, "/apis", headers: [("Accept", Self.v2)]).json
            #expect(aggregated["items"]?.arrayValue?.contains { $0[path: "metadata", "name"] == "example.com" } == true)
        }
    }

    @Test func openAPIV3HasWhatKubectlLooksFor() async throws {
        try await withTestServer { _, client in
            #expect(
                try await client.request(.POST, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", json: widgetCRD()).status == 201)
            let root = try await client.request(.GET, "/openapi/v3").json
            let core = try #require(root[path: "paths", "api/v1", "serverRelativeURL"]?.stringValue)
            #expect(core.hasPrefix("/openapi/v3/api/v1?hash="))
            #expect(root[path: "paths", "apis/example.com/v1"] != nil)

            let document = try await client.request(.GET, core).json
            #expect(document["openapi"]?.stringValue?.hasPrefix("3.") == true)
            let item = try #require(document[path: "paths", "/api/v1/namespaces/{namespace}/configmaps/{name}"])
            let patch = try #require(item["patch"])
            #expect(patch[path: "x-kubernetes-group-version-kind", "kind"] == "ConfigMap")
            let parameters = patch["parameters"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            #expect(parameters.contains("fieldValidation"))
            #expect(parameters.contains("dryRun"))

            let widgets = try await client.request(.GET, "/openapi/v3/apis/example.com/v1").json
            let schema = try #require(widgets[path: "components", "schemas", "com.example.v1.Widget"])
            #expect(schema[path: "properties", "spec", "properties", "size", "type"] == "integer")
            let widgetPatch = try #require(widgets[path: "paths", "/apis/example.com/v1/namespaces/{namespace}/widgets/{name}", "patch"])
            #expect(widgetPatch[path: "requestBody", "content", "application/strategic-merge-patch+json"] == nil)
            #expect(widgetPatch[path: "requestBody", "content", "application/merge-patch+json"] != nil)
        }
    }
}
