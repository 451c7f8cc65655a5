import RoperatorClient
import Testing

@Suite("Client verbs")
struct ClientVerbTests {
    static let echoServer = K8sType(group: "example.com", version: "v1", kind: "EchoServer", plural: "echoservers")

    /// Answers every write with its body (plus a resourceVersion), every GET with a ConfigMap.
    static let echo: TestHTTPServer.Handler = { request, writer in
        if var body = try request.json, request.method != "DELETE" {
            body[path: "metadata", "resourceVersion"] = "42"
            try await writer.respond(status: request.method == "POST" ? 201 : 200, json: body)
        } else {
            try await writer.respond(json: configMap("a", resourceVersion: "7"))
        }
    }

    @Test func paths() async throws {
        try await TestHTTPServer.withServer(handler: Self.echo) { server in
            try await withClient(server) { client in
                _ = try await client.get(.configMap, namespace: "team-a", name: "a")
                _ = try await client.get(.namespace, namespace: "ignored", name: "team-a")
                _ = try await client.get(Self.echoServer, name: "e")
                _ = try await client.get(.deployment, namespace: "x", name: "web")
                _ = try await client.getStatus(Self.echoServer, namespace: "x", name: "e")
            }
            #expect(
                server.requests.map(\.path) == [
                    "/api/v1/namespaces/team-a/configmaps/a",
                    "/api/v1/namespaces/team-a",
                    "/apis/example.com/v1/namespaces/default/echoservers/e",
                    "/apis/apps/v1/namespaces/x/deployments/web",
                    "/apis/example.com/v1/namespaces/x/echoservers/e/status",
                ])
        }
    }

    @Test func listFollowsContinueTokensAndKeepsSelectors() async throws {
        try await TestHTTPServer.withServer { request, writer in
            let page = request.query["continue"] ?? ""
            switch page {
            case "":
                try await writer.respond(json: [
                    "kind": "ConfigMapList", "apiVersion": "v1", "metadata": ["resourceVersion": "10", "continue": "p2"],
                    "items": [["metadata": ["name": "a"]], ["metadata": ["name": "b"]]],
                ])
            case "p2":
                try await writer.respond(json: [
                    "kind": "ConfigMapList", "apiVersion": "v1", "metadata": ["resourceVersion": "10", "continue": "p3"],
                    "items": [["metadata": ["name": "c"]], ["metadata": ["name": "d"]]],
                ])
            default:
                try await writer.respond(json: [
                    "kind": "ConfigMapList", "apiVersion": "v1", "metadata": ["resourceVersion": "10"],
                    "items": [["metadata": ["name": "e"]]],
                ])
            }
        } _: { server in
            try await withClient(server) { client in
                let list = try await client.list(
                    .configMap, namespace: "default", labelSelector: "app in (web, api),tier!=db", fieldSelector: "metadata.name!=z",
                    pageSize: 2)
                #expect(list.items.map(\.name) == ["a", "b", "c", "d", "e"])
                #expect(list.items.allSatisfy { $0.kind == "ConfigMap" && $0.apiVersion == "v1" })
                #expect(list.resourceVersion == "10")
            }
            let requests = server.requests
            #expect(requests.count == 3)
            #expect(requests.map { $0.query["continue"] } == [nil, "p2", "p3"])
            #expect(requests.allSatisfy { $0.query["limit"] == "2" })
            #expect(requests.allSatisfy { $0.query["labelSelector"] == "app in (web, api),tier!=db" })
            #expect(requests.allSatisfy { $0.query["fieldSelector"] == "metadata.name!=z" })
            #expect(requests[0].path == "/api/v1/namespaces/default/configmaps")
        }
    }

    @Test func listAcrossNamespaces() async throws {
        try await TestHTTPServer.withServer { _, writer in
            try await writer.respond(json: ["metadata": ["resourceVersion": "3"], "items": []])
        } _: { server in
            try await withClient(server) { client in
                let list = try await client.list(.pod)
                #expect(list.items.isEmpty)
                #expect(list.resourceVersion == "3")
            }
            #expect(server.requests.first?.path == "/api/v1/pods")
        }
    }

    @Test func createReplaceAndFieldManager() async throws {
        try await TestHTTPServer.withServer(handler: Self.echo) { server in
            try await withClient(server, options: .init(retry: fastRetry, fieldManager: "my-operator")) { client in
                var object = KubeObject(type: .configMap, namespace: "ns", name: "a")
                object.json["data"] = ["k": "v"]
                let created = try await client.create(.configMap, object)
                #expect(created.resourceVersion == "42")
                #expect(created.json["data"] == ["k": "v"])
                let replaced = try await client.replace(.configMap, created, fieldManager: "other")
                #expect(replaced.name == "a")
                _ = try await client.replaceStatus(Self.echoServer, KubeObject(type: Self.echoServer, namespace: "ns", name: "e"))
            }
            let requests = server.requests
            #expect(requests.map(\.method) == ["POST", "PUT", "PUT"])
            #expect(
                requests.map(\.path) == [
                    "/api/v1/namespaces/ns/configmaps", "/api/v1/namespaces/ns/configmaps/a",
                    "/apis/example.com/v1/namespaces/ns/echoservers/e/status",
                ])
            #expect(requests.map { $0.query["fieldManager"] } == ["my-operator", "other", "my-operator"])
            #expect(requests[1].header("Content-Type") == "application/json")
            #expect(try requests[1].json?[path: "metadata", "resourceVersion"] == "42")
        }
    }

    struct PatchCase: Sendable, CustomStringConvertible {
        var patchType: PatchType
        var contentType: String
        var fieldManager: String?
        var force: String?
        var description: String { "\(patchType)" }
    }

    @Test(arguments: [
        PatchCase(patchType: .merge, contentType: "application/merge-patch+json"),
        PatchCase(patchType: .jsonPatch, contentType: "application/json-patch+json"),
        PatchCase(patchType: .strategicMerge, contentType: "application/strategic-merge-patch+json"),
        PatchCase(
            patchType: .apply(fieldManager: "op", force: true), contentType: "application/apply-patch+yaml", fieldManager: "op",
            force: "true"),
        PatchCase(patchType: .apply(fieldManager: "op"), contentType: "application/apply-patch+yaml", fieldManager: "op"),
    ])
    func patchContentTypes(_ testCase: PatchCase) async throws {
        let (patchType, contentType, fieldManager, force) = (
            testCase.patchType, testCase.contentType, testCase.fieldManager, testCase.force
        )
        try await TestHTTPServer.withServer(handler: Self.echo) { server in
            try await withClient(server) { client in
                _ = try await client.patch(.configMap, name: "a", patch: ["metadata": ["name": "a"]], as: patchType)
                _ = try await client.patchStatus(Self.echoServer, name: "e", patch: ["metadata": ["name": "e"]], as: patchType)
            }
            let requests = server.requests
            #expect(requests.map(\.method) == ["PATCH", "PATCH"])
            #expect(requests.allSatisfy { $0.header("Content-Type") == contentType })
            #expect(requests.allSatisfy { $0.query["fieldManager"] == fieldManager })
            #expect(requests.allSatisfy { $0.query["force"] == force })
            #expect(requests[1].path == "/apis/example.com/v1/namespaces/default/echoservers/e/status")
        }
    }

    @Test func deleteSendsOptionsAndReturnsObjectOrNil() async throws {
        try await TestHTTPServer.withServer { request, writer in
            if request.path.hasSuffix("/gone") {
                try await writer.respond(json: ["kind": "Status", "apiVersion": "v1", "status": "Success"])
            } else {
                var object = configMap("a", resourceVersion: "9")
                object[path: "metadata", "deletionTimestamp"] = "2026-01-01T00:00:00Z"
                try await writer.respond(json: object)
            }
        } _: { server in
            try await withClient(server) { client in
                let pending = try await client.delete(
                    .configMap, name: "a",
                    options: .init(
                        propagationPolicy: .foreground, preconditionUID: "uid-a", preconditionResourceVersion: "8", gracePeriodSeconds: 0))
                #expect(pending?.isBeingDeleted == true)
                let gone = try await client.delete(.configMap, name: "gone")
                #expect(gone == nil)
            }
            let requests = server.requests
            #expect(requests.map(\.method) == ["DELETE", "DELETE"])
            let body = try #require(try requests[0].json)
            #expect(body["propagationPolicy"] == "Foreground")
            #expect(body[path: "preconditions", "uid"] == "uid-a")
            #expect(body[path: "preconditions", "resourceVersion"] == "8")
            #expect(body["gracePeriodSeconds"] == 0)
            #expect(requests[1].body.isEmpty)
        }
    }

    @Test func notFoundAndConflictAreTyped() async throws {
        try await TestHTTPServer.withServer { request, writer in
            if request.method == "GET" {
                try await writer.respond(
                    status: 404,
                    json: [
                        "kind": "Status", "apiVersion": "v1", "status": "Failure", "code": 404, "reason": "NotFound",
                        "message": "configmaps \"a\" not found", "details": ["name": "a", "kind": "configmaps"],
                    ], headers: [])
            } else {
                try await writer.respondStatus(code: 409, reason: "Conflict", message: "the object has been modified")
            }
        } _: { server in
            try await withClient(server) { client in
                let notFound = try await #require(throws: KubeAPIError.self) { _ = try await client.get(.configMap, name: "a") }
                #expect(notFound.isNotFound)
                #expect(notFound.details?.name == "a")
                let conflict = try await #require(throws: KubeAPIError.self) {
                    _ = try await client.replace(.configMap, KubeObject(type: .configMap, name: "a"))
                }
                #expect(conflict.isConflict)
                #expect(!conflict.isNotFound)
            }
        }
    }

    @Test func discoveryResolvesCachesAndRefreshesOnMiss() async throws {
        let resources: JSONValue = [
            "kind": "APIResourceList", "groupVersion": "example.com/v1",
            "resources": [
                ["name": "echoservers", "kind": "EchoServer", "namespaced": true],
                ["name": "echoservers/status", "kind": "EchoServer", "namespaced": true],
                ["name": "clusterechoes", "kind": "ClusterEcho", "namespaced": false],
            ],
        ]
        let core: JSONValue = [
            "kind": "APIResourceList", "groupVersion": "v1",
            "resources": [["name": "namespaces", "kind": "Namespace", "namespaced": false]],
        ]
        try await TestHTTPServer.withServer { request, writer in
            switch request.path {
            case "/apis/example.com/v1": try await writer.respond(json: resources)
            case "/api/v1": try await writer.respond(json: core)
            default: try await writer.respondStatus(code: 404, reason: "NotFound", message: "not found")
            }
        } _: { server in
            try await withClient(server) { client in
                let echo = try await client.resolve(apiVersion: "example.com/v1", kind: "EchoServer")
                #expect(echo == Self.echoServer)
                let cluster = try await client.resolve(apiVersion: "example.com/v1", kind: "ClusterEcho")
                #expect(cluster.plural == "clusterechoes")
                #expect(!cluster.namespaced)
                #expect(server.requests.count == 1)
                let missing = try await #require(throws: KubeClientError.self) {
                    _ = try await client.resolve(apiVersion: "example.com/v1", kind: "Missing")
                }
                #expect(missing.code == .unknownKind)
                #expect(server.requests.count == 2)
                let ns = try await client.resolve(apiVersion: "v1", kind: "Namespace")
                #expect(ns == .namespace)
                let noGroup = try await #require(throws: KubeAPIError.self) {
                    _ = try await client.resolve(apiVersion: "nothing.io/v1", kind: "X")
                }
                #expect(noGroup.isNotFound)
            }
        }
    }
}
