import Foundation
import RoperatorClient
import RoperatorAPIServer
import Testing

/// `dataDirectory`: the state survives a restart exactly.
@Suite("Embedded API server: data directory")
struct APIServerPersistenceTests {
    @Test func objectsCounterAndCRDsSurviveARestartExactly() async throws {
        let directory = try makeTemporaryDirectory("persistence").appendingPathComponent("data").path
        let configuration = EmbeddedAPIServer.Configuration(dataDirectory: directory)

        let (configMap, widget, listVersion) = try await withTestServer(configuration) { _, client in
            let cm = try await client.request(
                .PATCH, "/api/v1/namespaces/default/configmaps/kept?fieldManager=tester",
                body: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kept\ndata:\n  a: \"1\"\n",
                contentType: "application/apply-patch+yaml")
            #expect(cm.status == 201)
            #expect(
                try await client.request(.POST, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", json: widgetCRD()).status == 201)
            var widgetCreated: TestResponse?
            try await waitUntil("the widget CRD is served") {
                widgetCreated = try await client.request(
                    .POST, "/apis/example.com/v1/namespaces/default/widgets",
                    json: [
                        "apiVersion": "example.com/v1", "kind": "Widget", "metadata": ["name": "w", "finalizers": ["example.com/keep"]],
                        "spec": ["size": 3],
                    ])
                return widgetCreated?.status == 201
            }
            // A deletionTimestamp held by a finalizer must survive too.
            let deleting = try await client.request(.DELETE, "/apis/example.com/v1/namespaces/default/widgets/w")
            #expect(deleting.status == 202, "finalizers hold the widget")
            let widget = try await client.request(.GET, "/apis/example.com/v1/namespaces/default/widgets/w").json
            #expect(widget[path: "metadata", "deletionTimestamp"] != nil)
            let list = try await client.request(.GET, "/api/v1/namespaces/default/configmaps").json
            return (try cm.json, widget, try #require(list[path: "metadata", "resourceVersion"]?.stringValue))
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: directory)
        #expect(files == ["state.json"], "no temporary file is left behind")

        try await withTestServer(configuration) { _, client in
            let cm = try await client.request(.GET, "/api/v1/namespaces/default/configmaps/kept")
            #expect(cm.status == 200)
            let restored = try cm.json
            #expect(restored == configMap)
            #expect(restored[path: "metadata", "uid"] == configMap[path: "metadata", "uid"])
            #expect(restored[path: "metadata", "resourceVersion"] == configMap[path: "metadata", "resourceVersion"])
            #expect(restored[path: "metadata", "managedFields"]?[0]?["manager"] == "tester")
            #expect(try await client.request(.GET, "/apis/example.com/v1/namespaces/default/widgets/w").json == widget)

            let list = try await client.request(.GET, "/api/v1/namespaces/default/configmaps").json
            #expect(list[path: "metadata", "resourceVersion"]?.stringValue == listVersion)
            let next = try await client.request(
                .POST, "/api/v1/namespaces/default/configmaps", json: RoperatorAPIServerTests.configMap("next")
            ).json
            let nextVersion = try #require(Int64(next[path: "metadata", "resourceVersion"]?.stringValue ?? ""))
            #expect(nextVersion == Int64(listVersion)! + 1, "the global counter continues where it stopped")
        }
    }

    @Test func refusesAStateFileItDoesNotUnderstand() async throws {
        let directory = try makeTemporaryDirectory("persistence-bad")
        try Data(#"{"kind":"Something"}"#.utf8).write(to: directory.appendingPathComponent("state.json"))
        await #expect(throws: (any Error).self) {
            _ = try await EmbeddedAPIServer.start(EmbeddedAPIServer.Configuration(dataDirectory: directory.path))
        }
    }
}
