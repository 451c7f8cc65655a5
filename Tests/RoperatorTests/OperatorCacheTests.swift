@testable import Roperator
import RoperatorClient
import Testing

@Suite("Operator caches")
struct OperatorCacheTests {
    private func configMap(_ name: String, uid: String, parentUID: String? = nil, controller: String? = nil) -> KubeObject {
        var json: JSONValue = [
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": ["name": .string(name), "namespace": "default", "uid": .string(uid)],
        ]
        if let parentUID { json[path: "metadata", "labels"] = [TrackingLabels.parentUID: .string(parentUID)] }
        if let controller {
            json[path: "metadata", "ownerReferences"] = [
                [
                    "apiVersion": "example.com/v1", "kind": "Echo", "name": "p", "uid": .string(controller), "controller": true,
                ]
            ]
        }
        return KubeObject(json)
    }

    @Test("children are indexed by tracking label and by controller reference")
    func ownerIndex() {
        let store = ObjectStore()
        _ = store.apply(.added(configMap("a", uid: "1", parentUID: "P")))
        _ = store.apply(.added(configMap("b", uid: "2", controller: "P")))
        _ = store.apply(.added(configMap("c", uid: "3", parentUID: "Q")))
        #expect(Set(store.objects(ownedBy: "P").compactMap(\.name)) == ["a", "b"])
        #expect(store.key(forUID: "3") == ParentKey(namespace: "default", name: "c"))
        let changes = store.apply(.deleted(configMap("a", uid: "1", parentUID: "P")))
        #expect(changes.count == 1 && changes[0].new == nil)
        #expect(store.objects(ownedBy: "P").compactMap(\.name) == ["b"])
    }

    @Test("a relist replaces the contents and reports what vanished")
    func relist() {
        let store = ObjectStore()
        _ = store.apply(.added(configMap("a", uid: "1", parentUID: "P")))
        _ = store.apply(.added(configMap("b", uid: "2", parentUID: "P")))
        #expect(!store.hasSynced)
        let changes = store.apply(.relisted([configMap("b", uid: "2", parentUID: "P"), configMap("c", uid: "3")]))
        _ = store.apply(.initialListComplete)
        #expect(store.hasSynced)
        #expect(Set(store.all.map(\.key.name)) == ["b", "c"])
        #expect(changes.contains { $0.old?.key.name == "a" && $0.new == nil })
        #expect(changes.contains { $0.old == nil && $0.new?.key.name == "c" })
        #expect(!changes.contains { $0.new?.key.name == "b" })
        #expect(store.objects(ownedBy: "P").compactMap(\.name) == ["b"])
    }
}
