import RoperatorClient
import Testing

@testable import RoperatorAPIServer

@Suite("Store: resource registry, CRDs, snapshots")
struct StoreRegistryTests {
    @Test func builtInsAreServed() {
        let registry = ResourceRegistry()
        let pods = registry.lookup(group: "", version: "v1", plural: "pods")
        #expect(pods?.kind == "Pod")
        #expect(pods?.shortNames == ["po"])
        #expect(pods?.hasStatus == true)
        #expect(registry.lookup(group: "apps", version: "v1", kind: "Deployment")?.plural == "deployments")
        #expect(registry.lookup(apiVersion: "coordination.k8s.io/v1", kind: "Lease")?.namespaced == true)
        #expect(registry.lookup(group: "", version: "v1", plural: "namespaces")?.namespaced == false)
        #expect(registry.lookup(group: "events.k8s.io", version: "v1", plural: "events") != nil)
        let groups = registry.groups()
        #expect(groups.first?.name == "")
        #expect(groups.contains { $0.name == "apiextensions.k8s.io" })
        #expect(registry.resources(group: "batch", version: "v1")?.map(\.plural).contains("jobs") == true)
        #expect(registry.resources(group: "nope", version: "v1") == nil)
    }

    @Test func versionPriority() {
        let sorted = ["v1alpha1", "v2", "v1beta1", "v1", "v1beta2", "foo"].sorted(by: ResourceRegistry.versionPrecedes)
        #expect(sorted == ["v2", "v1", "v1beta2", "v1beta1", "v1alpha1", "foo"])
    }

    @Test func crdBecomesServableAndGoesAway() async throws {
        let f = StoreFixture()
        let before = f.store.registry.changeCount
        let crd = try f.registerWidgets()
        #expect(f.store.registry.changeCount > before)
        let conditions = crd[path: "status", "conditions"]?.arrayValue ?? []
        #expect(conditions.contains { $0["type"] == "Established" && $0["status"] == "True" })
        #expect(conditions.contains { $0["type"] == "NamesAccepted" && $0["status"] == "True" })
        #expect(crd[path: "status", "acceptedNames", "kind"] == "Widget")
        #expect(crd[path: "status", "acceptedNames", "listKind"] == "WidgetList")
        #expect(crd[path: "status", "storedVersions"] == ["v1"])
        let widgets = f.widgets
        #expect(widgets.shortNames == ["wd"])
        #expect(widgets.hasStatus)
        #expect(widgets.schema?["type"] == "object")
        let beta = try #require(f.store.registry.lookup(group: "example.com", version: "v1beta1", plural: "widgets"))
        #expect(!beta.hasStatus)
        #expect(f.store.registry.groups().first { $0.name == "example.com" }?.versions == ["v1", "v1beta1"])

        _ = try f.store.create(widgets, namespace: "default", object: ["metadata": ["name": "w"], "spec": ["size": 1]])
        // The same object is served at every version.
        let viaBeta = try f.store.get(beta, namespace: "default", name: "w")
        #expect(viaBeta["apiVersion"] == "example.com/v1beta1")
        let watch = try f.store.watch(widgets, namespace: nil)
        _ = try f.store.delete(f.crds, namespace: nil, name: "widgets.example.com")
        #expect(f.store.registry.lookup(group: "example.com", version: "v1", plural: "widgets") == nil)
        #expect(summary(await watch.drain()) == ["ADDED w", "DELETED w"])
    }

    @Test func invalidCRDIsRejected() throws {
        let f = StoreFixture()
        let err = #expect(throws: APIError.self) {
            try f.store.create(
                f.crds, namespace: nil,
                object: [
                    "metadata": ["name": "wrong.example.com"],
                    "spec": [
                        "group": "example.com", "scope": "Namespaced", "names": ["plural": "things", "kind": "Thing"],
                        "versions": [["name": "v1", "served": true, "storage": true]],
                    ],
                ])
        }
        #expect(err?.code == 422)
    }

    @Test func snapshotAndRestore() throws {
        let f = StoreFixture()
        try f.registerWidgets()
        _ = try f.store.create(f.widgets, namespace: "default", object: ["metadata": ["name": "w"]])
        let cm = try f.createConfigMap("a")
        let snapshot = f.store.snapshot()
        let serialized = snapshot.serialized()

        let g = StoreFixture()
        try g.store.restore(try JSONValue(parsing: serialized), skippingResourceVersions: 0)
        #expect(g.store.resourceVersion == f.store.resourceVersion)
        #expect(try g.store.get(g.configMaps, namespace: "default", name: "a") == cm)
        #expect(try g.store.get(g.widgets, namespace: "default", name: "w").name == "w")
        let next = try g.createConfigMap("b")
        #expect(Int64(next.rv ?? "")! == f.store.resourceVersion + 1)
        #expect(throws: APIError.self) { try g.store.restore(["nonsense": true], skippingResourceVersions: 0) }
    }
}
