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

    /// A server killed between snapshots comes back from the last one, without the writes after it.
    /// A client that saw those writes holds a newer resourceVersion than the restored counter; once
    /// new writes carried the counter past it, a watch from there would be accepted and skip every
    /// change between. The restore therefore moves the counter past any version the lost writes
    /// had and compacts everything before, so the watch gets 410 and the client relists.
    @Test func aSnapshotOlderThanTheLastWritesIsRestoredPastThem() async throws {
        let base = try makeTemporaryDirectory("persistence-killed")
        let running = base.appendingPathComponent("running").path
        let crashed = base.appendingPathComponent("crashed").path
        let lost = try await withTestServer(EmbeddedAPIServer.Configuration(dataDirectory: running)) { server, client in
            _ = try await client.request(.POST, "/api/v1/namespaces/default/configmaps", json: RoperatorAPIServerTests.configMap("kept"))
            try server.saveState() // the periodic snapshot the kill leaves behind
            try FileManager.default.createDirectory(atPath: crashed, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: running + "/state.json", toPath: crashed + "/state.json")
            let created = try await client.request(
                .POST, "/api/v1/namespaces/default/configmaps", json: RoperatorAPIServerTests.configMap("lost")
            ).json
            return try #require(Int64(created[path: "metadata", "resourceVersion"]?.stringValue ?? ""))
        }
        // The clean stop's file is complete: restored without a skip.
        try await withTestServer(EmbeddedAPIServer.Configuration(dataDirectory: running)) { _, client in
            let next = try await client.request(
                .POST, "/api/v1/namespaces/default/configmaps", json: RoperatorAPIServerTests.configMap("next")
            ).json
            #expect(Int64(next[path: "metadata", "resourceVersion"]?.stringValue ?? "") == lost + 1)
        }
        try await withTestServer(EmbeddedAPIServer.Configuration(dataDirectory: crashed)) { _, client in
            // The file is rewritten at once, incomplete and with the new counter: killed again before
            // the next snapshot, the server skips again rather than reissue versions.
            let file = try JSONValue(parsing: Array(try Data(contentsOf: URL(fileURLWithPath: crashed + "/state.json"))))
            #expect(file["complete"] == false)
            #expect((file[path: "store", "resourceVersion"]?.intValue ?? 0) > lost)
            #expect(try await client.request(.GET, "/api/v1/namespaces/default/configmaps/lost").status == 404)
            for index in 0..<3 {
                _ = try await client.request(
                    .POST, "/api/v1/namespaces/default/configmaps", json: RoperatorAPIServerTests.configMap("new\(index)"))
            }
            let list = try await client.request(.GET, "/api/v1/namespaces/default/configmaps").json
            let counter = try #require(Int64(list[path: "metadata", "resourceVersion"]?.stringValue ?? ""))
            #expect(counter > lost, "the counter is past every version the lost writes had: \(counter) vs \(lost)")
            let (_, _, lines) = try await client.stream(
                "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=\(lost)&timeoutSeconds=5")
            var iterator = lines.makeAsyncIterator()
            let event = try #require(try await iterator.next())
            #expect(event["type"] == "ERROR")
            #expect(event[path: "object", "code"] == 410)
        }
        let document = try JSONValue(parsing: Array(try Data(contentsOf: URL(fileURLWithPath: crashed + "/state.json"))))
        #expect(document["complete"] == true, "a clean stop writes a complete file")
    }

    @Test func refusesAStateFileItDoesNotUnderstand() async throws {
        let directory = try makeTemporaryDirectory("persistence-bad")
        try Data(#"{"kind":"Something"}"#.utf8).write(to: directory.appendingPathComponent("state.json"))
        await #expect(throws: (any Error).self) {
            _ = try await EmbeddedAPIServer.start(EmbeddedAPIServer.Configuration(dataDirectory: directory.path))
        }
    }
}
