@testable import Roperator
import RoperatorClient
import Testing

/// The cache's own rules, without a server: what it keeps of an object and what a relist reports.
@Suite struct ObjectStoreTests {
    func configMap(_ name: String, managedFields: Bool, data: String = "x") -> KubeObject {
        var object = KubeObject(type: .configMap, namespace: "default", name: name)
        object.json[path: "metadata", "uid"] = .string("uid-\(name)")
        object.json["data"] = ["k": .string(data)]
        if managedFields {
            object.json[path: "metadata", "managedFields"] = [
                [
                    "manager": "roperator", "operation": "Apply", "fieldsType": "FieldsV1",
                    "fieldsV1": ["f:data": ["f:k": [:]]],
                ]
            ]
        }
        return object
    }

    @Test("objects are cached without managedFields, and a relist of unchanged objects reports nothing")
    func managedFieldsAreNotCached() {
        let store = ObjectStore()
        _ = store.apply(.relisted([configMap("a", managedFields: true)]))
        _ = store.apply(.initialListComplete)
        let cached = store.object(namespace: "default", name: "a")
        #expect(cached?.json[path: "metadata", "managedFields"] == nil)
        #expect(cached?.json[path: "metadata", "uid"] == "uid-a")
        #expect(cached?.json["data"] == ["k": "x"])

        #expect(store.apply(.relisted([configMap("a", managedFields: true)])).isEmpty, "same object, nothing changed")
        let changed = store.apply(.relisted([configMap("a", managedFields: true, data: "y")]))
        #expect(changed.count == 1 && changed.first?.listed == true)
        #expect(changed.first?.new?.object.json[path: "metadata", "managedFields"] == nil)

        let modified = store.apply(.modified(configMap("a", managedFields: true, data: "z")))
        #expect(modified.count == 1 && modified.first?.listed == false)
        #expect(store.object(namespace: "default", name: "a")?.json[path: "metadata", "managedFields"] == nil)
        #expect(store.jsonBytes() == store.object(namespace: "default", name: "a")?.json.serializedBytes(sortedKeys: false).count)
    }
}
