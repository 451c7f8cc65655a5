import Foundation
import RoperatorClient
import RoperatorAPIServer
import Testing

@Suite("Embedded API server over HTTP")
struct APIServerTests {
    @Test func startsOnAFreePortAndStops() async throws {
        let server = try await EmbeddedAPIServer.start()
        #expect(server.port > 0)
        #expect(server.url == "http://127.0.0.1:\(server.port)")
        let client = try TestHTTPClient.make(for: server)
        let health = try await client.request(.GET, "/healthz")
        #expect(health.status == 200)
        #expect(health.text == "ok")
        try await client.shutdown()
        try await server.shutdown()
        let after = try TestHTTPClient.make(for: server, connectTimeout: .milliseconds(300))
        await #expect(throws: (any Error).self) { _ = try await after.request(.GET, "/healthz") }
        try await after.shutdown()
    }

    @Test func version() async throws {
        try await withTestServer { _, client in
            let response = try await client.request(.GET, "/version")
            #expect(response.status == 200)
            let json = try response.json
            #expect(json["major"] == "1")
            #expect(json["minor"] == "32")
            #expect(json["gitVersion"]?.stringValue?.hasPrefix("v1.32.") == true)
            #expect(json["platform"]?.stringValue?.contains("/") == true)
        }
    }

    @Test func createGetListReplacePatchDelete() async throws {
        try await withTestServer { _, client in
            let created = try await client.request(.POST, "/api/v1/namespaces/default/configmaps", json: configMap("one", data: ["a": "1"]))
            #expect(created.status == 201)
            let object = try created.json
            let rv = try #require(object[path: "metadata", "resourceVersion"]?.stringValue)
            #expect(object[path: "metadata", "uid"]?.stringValue?.isEmpty == false)

            let got = try await client.request(.GET, "/api/v1/namespaces/default/configmaps/one")
            #expect(got.status == 200)
            #expect(try got.json[path: "data", "a"] == "1")

            let list = try await client.request(.GET, "/api/v1/namespaces/default/configmaps")
            #expect(try list.json["kind"] == "ConfigMapList")
            #expect(try list.json["items"]?.arrayValue?.count == 1)

            var replacement = object
            replacement["data"] = ["a": "2"]
            let replaced = try await client.request(.PUT, "/api/v1/namespaces/default/configmaps/one", json: replacement)
            #expect(replaced.status == 200)
            #expect(try replaced.json[path: "metadata", "resourceVersion"]?.stringValue != rv)

            // The same body again carries the old resourceVersion: a conflict.
            let stale = try await client.request(.PUT, "/api/v1/namespaces/default/configmaps/one", json: replacement)
            #expect(stale.status == 409)
            #expect(try stale.json["reason"] == "Conflict")

            let merged = try await client.request(
                .PATCH, "/api/v1/namespaces/default/configmaps/one", json: ["data": ["b": "3"]], contentType: "application/merge-patch+json"
            )
            #expect(merged.status == 200)
            #expect(try merged.json[path: "data", "b"] == "3")

            let jsonPatched = try await client.request(
                .PATCH, "/api/v1/namespaces/default/configmaps/one",
                json: [["op": "replace", "path": "/data/a", "value": "4"]], contentType: "application/json-patch+json")
            #expect(try jsonPatched.json[path: "data", "a"] == "4")

            let strategic = try await client.request(
                .PATCH, "/api/v1/namespaces/default/configmaps/one", json: ["data": ["c": "5"]],
                contentType: "application/strategic-merge-patch+json")
            #expect(try strategic.json[path: "data", "c"] == "5")

            let deleted = try await client.request(
                .DELETE, "/api/v1/namespaces/default/configmaps/one",
                json: ["kind": "DeleteOptions", "apiVersion": "v1", "propagationPolicy": "Background"])
            #expect(deleted.status == 200)
            #expect(try deleted.json["status"] == "Success")

            let missing = try await client.request(.GET, "/api/v1/namespaces/default/configmaps/one")
            #expect(missing.status == 404)
            let status = try missing.json
            #expect(status["kind"] == "Status")
            #expect(status["apiVersion"] == "v1")
            #expect(status["status"] == "Failure")
            #expect(status["reason"] == "NotFound")
            #expect(status["code"] == 404)
            #expect(status[path: "details", "name"] == "one")
        }
    }

    @Test func bodiesWithoutContentTypeAreJSONAndYAMLIsAccepted() async throws {
        try await withTestServer { _, client in
            let untyped = try await client.request(.POST, "/api/v1/namespaces/default/configmaps", body: configMap("untyped").serialized())
            #expect(untyped.status == 201)
            let yaml = """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: from-yaml
                data:
                  key: value
                """
            let created = try await client.request(
                .POST, "/api/v1/namespaces/default/configmaps", body: yaml, contentType: "application/yaml")
            #expect(created.status == 201)
            #expect(try created.json[path: "data", "key"] == "value")
            let bad = try await client.request(
                .POST, "/api/v1/namespaces/default/configmaps", body: "{not json", contentType: "application/json")
            #expect(bad.status == 400)
            #expect(try bad.json["reason"] == "BadRequest")
        }
    }

    @Test func serverSideApplyCreatesThenUpdatesAndNeedsAFieldManager() async throws {
        try await withTestServer { _, client in
            let path = "/api/v1/namespaces/default/configmaps/applied?fieldManager=tester"
            let body = configMap("applied", namespace: "default", data: ["x": "1"]).serialized()
            let first = try await client.request(.PATCH, path, body: body, contentType: "application/apply-patch+yaml")
            #expect(first.status == 201)
            let second = try await client.request(
                .PATCH, path, body: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\ndata:\n  x: \"2\"\n",
                contentType: "application/apply-patch+yaml")
            #expect(second.status == 200)
            #expect(try second.json[path: "data", "x"] == "2")
            #expect(try second.json[path: "metadata", "managedFields"]?.arrayValue?.isEmpty == false)
            let anonymous = try await client.request(
                .PATCH, "/api/v1/namespaces/default/configmaps/applied", body: body, contentType: "application/apply-patch+yaml")
            #expect(anonymous.status == 400 || anonymous.status == 422)
        }
    }

    @Test func unknownPathsAndVerbs() async throws {
        try await withTestServer { _, client in
            let unknownResource = try await client.request(.GET, "/api/v1/namespaces/default/gizmos")
            #expect(unknownResource.status == 404)
            #expect(try unknownResource.json["kind"] == "Status")
            #expect(try await client.request(.GET, "/apis/nothing.example.com/v1/things").status == 404)
            #expect(try await client.request(.GET, "/nonsense").status == 404)
            let putCollection = try await client.request(.PUT, "/api/v1/namespaces/default/configmaps", json: configMap("x"))
            #expect(putCollection.status == 405)
            #expect(try putCollection.json["reason"] == "MethodNotAllowed")
            #expect(try await client.request(.POST, "/version").status == 405)
            let unsupportedPatch = try await client.request(
                .PATCH, "/api/v1/namespaces/default/configmaps/x", body: "{}", contentType: "text/plain")
            #expect(unsupportedPatch.status == 415)
        }
    }

    @Test func customResourcesAreServedAtOnceWithStatus() async throws {
        try await withTestServer { _, client in
            let crd = try await client.request(.POST, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", json: widgetCRD())
            #expect(crd.status == 201)
            let widget: JSONValue = [
                "apiVersion": "example.com/v1", "kind": "Widget", "metadata": ["name": "w"], "spec": ["size": 1], "status": ["ready": true],
            ]
            let created = try await client.request(.POST, "/apis/example.com/v1/namespaces/default/widgets", json: widget)
            #expect(created.status == 201)
            // With a status subresource, the main resource ignores status...
            #expect(try created.json["status"] == nil)
            // ...and /status changes only status.
            let status = try await client.request(
                .PATCH, "/apis/example.com/v1/namespaces/default/widgets/w/status",
                json: ["status": ["ready": true], "spec": ["size": 9]], contentType: "application/merge-patch+json")
            #expect(status.status == 200)
            #expect(try status.json[path: "status", "ready"] == true)
            #expect(try status.json[path: "spec", "size"] == 1)
            // Strategic merge patch is for built-in kinds only.
            let strategic = try await client.request(
                .PATCH, "/apis/example.com/v1/namespaces/default/widgets/w", json: ["spec": ["size": 2]],
                contentType: "application/strategic-merge-patch+json")
            #expect(strategic.status == 415)
            // Cross-namespace list.
            let all = try await client.request(.GET, "/apis/example.com/v1/widgets")
            #expect(try all.json["items"]?.arrayValue?.count == 1)
            #expect(try await client.request(.GET, "/apis/example.com/v1/namespaces/default/widgets/w/scale").status == 404)
        }
    }

    @Test func deleteWaitsForFinalizers() async throws {
        try await withTestServer { _, client in
            var body = configMap("held")
            body[path: "metadata", "finalizers"] = ["example.com/hold"]
            #expect(try await client.request(.POST, "/api/v1/namespaces/default/configmaps", json: body).status == 201)
            let deleting = try await client.request(.DELETE, "/api/v1/namespaces/default/configmaps/held")
            #expect(deleting.status == 202)
            #expect(try deleting.json[path: "metadata", "deletionTimestamp"] != nil)
            #expect(try await client.request(.GET, "/api/v1/namespaces/default/configmaps/held").status == 200)
            let released = try await client.request(
                .PATCH, "/api/v1/namespaces/default/configmaps/held", json: ["metadata": ["finalizers": nil]],
                contentType: "application/merge-patch+json")
            #expect(released.status == 200)
            #expect(try await client.request(.GET, "/api/v1/namespaces/default/configmaps/held").status == 404)
        }
    }

    @Test func listWithSelectorsAndPages() async throws {
        try await withTestServer { _, client in
            for index in 0..<5 {
                let labels = ["app": index % 2 == 0 ? "even" : "odd"]
                #expect(
                    try await client.request(.POST, "/api/v1/namespaces/default/configmaps", json: configMap("cm\(index)", labels: labels))
                        .status == 201)
            }
            let even = try await client.request(.GET, "/api/v1/namespaces/default/configmaps?labelSelector=app%3Deven")
            #expect(try even.json["items"]?.arrayValue?.count == 3)
            let set = try await client.request(.GET, "/api/v1/namespaces/default/configmaps?labelSelector=app+in+(odd)")
            #expect(try set.json["items"]?.arrayValue?.count == 2)
            let byName = try await client.request(.GET, "/api/v1/namespaces/default/configmaps?fieldSelector=metadata.name%3Dcm3")
            #expect(try byName.json["items"]?[0]?[path: "metadata", "name"] == "cm3")

            var names: [String] = []
            var token: String?
            repeat {
                let path =
                    "/api/v1/namespaces/default/configmaps?limit=2"
                    + (token.map { "&continue=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" } ?? "")
                let page = try await client.request(.GET, path).json
                names += page["items"]?.arrayValue?.compactMap { $0[path: "metadata", "name"]?.stringValue } ?? []
                token = page[path: "metadata", "continue"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
            } while token != nil
            #expect(names.sorted() == ["cm0", "cm1", "cm2", "cm3", "cm4"])
        }
    }
}
