import RoperatorClient
import Testing

@testable import RoperatorAPIServer

@Suite("Store: custom resources")
struct StoreCustomResourceTests {
    @Test func statusSubresourceApply() throws {
        let f = StoreFixture()
        try f.registerWidgets()
        let created = try f.store.patch(
            f.widgets, namespace: "default", name: "w", type: .apply,
            body: f.bytes("apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: 1\nstatus:\n  ready: true\n"),
            options: WriteOptions(fieldManager: "user"))
        #expect(created.created)
        #expect(created.object["status"] == nil) // main-resource apply ignores status
        let status = try f.store.patch(
            f.widgets, namespace: "default", name: "w", type: .apply,
            body: f.bytes(#"{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w"},"status":{"ready":true}}"#),
            subresource: .status, options: WriteOptions(fieldManager: "controller"))
        #expect(status.object[path: "status", "ready"] == true)
        #expect(status.object[path: "spec", "size"] == 1)
        #expect(status.object[path: "metadata", "generation"] == 1)
        let entries = status.object[path: "metadata", "managedFields"]?.arrayValue ?? []
        let controller = try #require(entries.first { $0["manager"] == "controller" })
        #expect(controller["subresource"] == "status")
        #expect(controller[path: "fieldsV1", "f:status", "f:ready"] == JSONValue.emptyObject)
        #expect(entries.first { $0["manager"] == "user" }?[path: "fieldsV1", "f:status"] == nil)
        let missing = #expect(throws: APIError.self) {
            try f.store.patch(
                f.widgets, namespace: "default", name: "nope", type: .apply,
                body: f.bytes(#"{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"nope"}}"#),
                subresource: .status, options: WriteOptions(fieldManager: "controller"))
        }
        #expect(missing?.code == 404)
    }

    @Test func withoutStatusSubresourceStatusIsPartOfTheObject() throws {
        let f = StoreFixture()
        try f.registerWidgets(statusSubresource: false)
        var w = try f.store.create(f.widgets, namespace: "default", object: ["metadata": ["name": "w"], "status": ["a": 1]])
        #expect(w["status"] == ["a": 1])
        w["status"] = ["a": 2]
        w = try f.store.replace(f.widgets, namespace: "default", name: "w", object: w)
        #expect(w["status"] == ["a": 2])
        #expect(w[path: "metadata", "generation"] == 2)
    }

    @Test func crdUpdateChangesServedVersions() throws {
        let f = StoreFixture()
        var crd = try f.registerWidgets()
        #expect(f.store.registry.lookup(group: "example.com", version: "v1beta1", plural: "widgets") != nil)
        crd[path: "spec", "versions"] = [["name": "v1", "served": true, "storage": true]]
        crd = try f.store.replace(f.crds, namespace: nil, name: "widgets.example.com", object: crd)
        #expect(f.store.registry.lookup(group: "example.com", version: "v1beta1", plural: "widgets") == nil)
        #expect(f.store.registry.lookup(group: "example.com", version: "v1", plural: "widgets")?.hasStatus == false)
        #expect(crd[path: "status", "conditions"]?.arrayValue?.count == 2)
    }

    @Test func clusterScopedCustomResources() throws {
        let f = StoreFixture()
        _ = try f.store.create(
            f.crds, namespace: nil,
            object: [
                "metadata": ["name": "globals.example.com"],
                "spec": [
                    "group": "example.com", "scope": "Cluster", "names": ["plural": "globals", "kind": "Global"],
                    "versions": [["name": "v1", "served": true, "storage": true]],
                ],
            ])
        let info = f.info("globals", group: "example.com")
        #expect(!info.namespaced)
        let g = try f.store.create(info, namespace: nil, object: ["metadata": ["name": "one", "namespace": "ignored"]])
        #expect(g[path: "metadata", "namespace"] == nil)
        #expect(try f.store.list(info, namespace: nil).itemNames == ["one"])
    }
}
