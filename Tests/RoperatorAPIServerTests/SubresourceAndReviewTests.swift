import RoperatorClient
import RoperatorAPIServer
import Testing

/// The scale subresource, self-subject reviews, and lists that stay consistent until compaction.
@Suite("Scale, reviews and consistent lists")
struct SubresourceAndReviewTests {
    /// `widgets.example.com` with a scale subresource.
    static func scalableCRD() -> JSONValue {
        var crd = widgetCRD()
        crd[path: "spec", "versions"] = [
            [
                "name": "v1", "served": true, "storage": true,
                "subresources": [
                    "status": .emptyObject,
                    "scale": [
                        "specReplicasPath": ".spec.replicas", "statusReplicasPath": ".status.replicas",
                        "labelSelectorPath": ".status.selector",
                    ],
                ],
                "schema": ["openAPIV3Schema": ["type": "object", "x-kubernetes-preserve-unknown-fields": true]],
            ]
        ]
        return crd
    }

    @Test func deploymentScale() async throws {
        try await withTestServer { _, client in
            let base = "/apis/apps/v1/namespaces/default/deployments"
            #expect(try await client.request(.POST, base, json: deployment("web")).status == 201)
            let scale = try await client.request(.GET, base + "/web/scale").json
            #expect(scale["kind"] == "Scale")
            #expect(scale["apiVersion"] == "autoscaling/v1")
            #expect(scale[path: "spec", "replicas"] == 1)
            #expect(scale[path: "status", "selector"] == "app=web")

            let patched = try await client.request(
                .PATCH, base + "/web/scale", json: ["spec": ["replicas": 3]], contentType: "application/merge-patch+json")
            #expect(try patched.json[path: "spec", "replicas"] == 3)
            #expect(try await client.request(.GET, base + "/web").json[path: "spec", "replicas"] == 3)

            var put = scale
            put[path: "spec", "replicas"] = 5
            let stale = try await client.request(.PUT, base + "/web/scale", json: put)
            #expect(stale.status == 409, "the Scale's resourceVersion is older than the object's")
            put[path: "metadata", "resourceVersion"] = nil
            let replaced = try await client.request(.PUT, base + "/web/scale", json: put)
            #expect(replaced.status == 200)
            #expect(try await client.request(.GET, base + "/web").json[path: "spec", "replicas"] == 5)

            let resources = try await client.request(.GET, "/apis/apps/v1").json["resources"]?.arrayValue ?? []
            let entry = try #require(resources.first { $0["name"] == "deployments/scale" })
            #expect(entry["kind"] == "Scale")
            #expect(entry["group"] == "autoscaling")
            #expect(try await client.request(.GET, "/api/v1/namespaces/default/configmaps/x/scale").status == 404)
        }
    }

    @Test func customResourceScale() async throws {
        try await withTestServer { _, client in
            #expect(
                try await client.request(.POST, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", json: Self.scalableCRD()).status
                    == 201)
            let base = "/apis/example.com/v1/namespaces/default/widgets"
            let widget: JSONValue = [
                "apiVersion": "example.com/v1", "kind": "Widget", "metadata": ["name": "w"], "spec": ["replicas": 1],
            ]
            #expect(try await client.request(.POST, base, json: widget).status == 201)
            _ = try await client.request(
                .PATCH, base + "/w/status", json: ["status": ["replicas": 1, "selector": "app=w"]],
                contentType: "application/merge-patch+json")
            let scale = try await client.request(.GET, base + "/w/scale").json
            #expect(scale[path: "status", "selector"] == "app=w")
            #expect(scale[path: "status", "replicas"] == 1)
            let patched = try await client.request(
                .PATCH, base + "/w/scale", json: ["spec": ["replicas": 4]], contentType: "application/merge-patch+json")
            #expect(patched.status == 200, "\(patched.text)")
            #expect(try await client.request(.GET, base + "/w").json[path: "spec", "replicas"] == 4)
        }
    }

    @Test func selfSubjectReviewsAllowEverything() async throws {
        try await withTestServer { _, client in
            let access = try await client.request(
                .POST, "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
                json: [
                    "apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview",
                    "spec": ["resourceAttributes": ["verb": "create", "resource": "deployments", "group": "apps"]],
                ])
            #expect(access.status == 201)
            #expect(try access.json[path: "status", "allowed"] == true)
            let rules = try await client.request(
                .POST, "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
                json: ["apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectRulesReview", "spec": ["namespace": "default"]])
            #expect(rules.status == 201)
            #expect(try rules.json[path: "status", "resourceRules"]?[0]?["verbs"] == ["*"])
        }
    }

    @Test func continueTokensOutliveTheWatchWindowUntilCompaction() async throws {
        var configuration = EmbeddedAPIServer.Configuration(eventWindow: 5)
        configuration.compactionInterval = .seconds(3600)
        try await withTestServer(configuration) { server, client in
            let base = "/api/v1/namespaces/default/configmaps"
            for i in 0..<30 {
                _ = try await client.request(.POST, base, json: configMap("cm-\(i < 10 ? "0" : "")\(i)", data: ["v": "0"]))
            }
            let first = try await client.request(.GET, base + "?limit=10").json
            let token = try #require(first[path: "metadata", "continue"]?.stringValue)
            let listRV = first[path: "metadata", "resourceVersion"]
            // Far more writes than the watch window keeps: a change, a deletion and a creation
            // after the first page.
            for _ in 0..<20 {
                _ = try await client.request(
                    .PATCH, base + "/cm-15", json: ["data": ["v": "1"]], contentType: "application/merge-patch+json")
            }
            _ = try await client.request(.DELETE, base + "/cm-20")
            _ = try await client.request(.POST, base, json: configMap("cm-99"))

            let second = try await client.request(.GET, base + "?limit=100&continue=\(token)")
            #expect(second.status == 200, "\(second.text)")
            let page = try second.json
            #expect(page[path: "metadata", "resourceVersion"] == listRV)
            let items = page["items"]?.arrayValue ?? []
            #expect(items.compactMap { $0[path: "metadata", "name"]?.stringValue } == (10..<30).map { "cm-\($0)" })
            #expect(items.first { $0[path: "metadata", "name"] == "cm-15" }?[path: "data", "v"] == "0")

            // A list at the first page's version, exactly, sees the same state.
            let exact = try await client.request(
                .GET, base + "?resourceVersion=\(listRV?.stringValue ?? "")&resourceVersionMatch=Exact"
            ).json
            #expect(exact["items"]?.arrayValue?.count == 30)

            // Compaction ends it.
            await server.faults.forceCompaction()
            #expect(try await client.request(.GET, base + "?limit=100&continue=\(token)").status == 410)
        }
    }

    @Test func periodicCompactionExpiresOldTokens() async throws {
        var configuration = EmbeddedAPIServer.Configuration()
        configuration.compactionInterval = .milliseconds(100)
        try await withTestServer(configuration) { _, client in
            let base = "/api/v1/namespaces/default/configmaps"
            for i in 0..<3 { _ = try await client.request(.POST, base, json: configMap("c\(i)")) }
            let token = try #require(try await client.request(.GET, base + "?limit=1").json[path: "metadata", "continue"]?.stringValue)
            _ = try await client.request(.POST, base, json: configMap("later"))
            try await waitUntil("two compactions pass the token's version") {
                try await client.request(.GET, base + "?limit=1&continue=\(token)").status == 410
            }
        }
    }
}
