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

    @Test("a modification replaces in place: the indexes follow a new owner or UID, and only deletions count as removals")
    func modificationsKeepTheIndexes() {
        let store = ObjectStore()
        var child = configMap("a", managedFields: false)
        child.labels[TrackingLabels.parentUID] = "parent-1"
        _ = store.apply(.added(child))
        child.json["data"] = ["k": "y"]
        _ = store.apply(.modified(child))
        #expect(store.generation.removals == 0)
        #expect(store.objects(ownedBy: "parent-1").map(\.name) == ["a"])

        child.labels[TrackingLabels.parentUID] = "parent-2"
        child.uid = "uid-a-2"
        _ = store.apply(.modified(child))
        #expect(store.objects(ownedBy: "parent-1").isEmpty)
        #expect(store.objects(ownedBy: "parent-2").map(\.name) == ["a"])
        #expect(!store.contains(uid: "uid-a") && store.key(forUID: "uid-a-2")?.name == "a")
        #expect(store.generation.removals == 0)
        #expect(store.jsonBytes() == store.object(namespace: "default", name: "a")?.json.serializedBytes(sortedKeys: false).count)

        _ = store.apply(.deleted(child))
        #expect(store.generation.removals == 1)
        #expect(store.objects(ownedBy: "parent-2").isEmpty && !store.contains(uid: "uid-a-2") && store.jsonBytes() == 0)
    }

    @Test("every complete list counts in the cache's generation, whole or in pages; events do not")
    func listsCountInTheGeneration() {
        let store = ObjectStore()
        #expect(store.generation == CacheGeneration(removals: 0, lists: 0))
        _ = store.apply(.relisted([configMap("a", managedFields: false), configMap("b", managedFields: false)]))
        #expect(store.generation == CacheGeneration(removals: 0, lists: 1))
        _ = store.apply(.added(configMap("c", managedFields: false)))
        #expect(store.generation.lists == 1)
        _ = store.apply(.listedPage([configMap("a", managedFields: false)], first: true))
        #expect(store.generation.lists == 1)
        _ = store.apply(.initialListComplete)
        #expect(store.generation == CacheGeneration(removals: 2, lists: 2))
    }

    @Test("a list in pages keeps what its pages show and removes the rest when it completes; a new first page starts over")
    func listInPages() {
        let store = ObjectStore()
        _ = store.apply(.added(configMap("a", managedFields: false)))
        _ = store.apply(.added(configMap("b", managedFields: false)))
        _ = store.apply(.added(configMap("c", managedFields: false)))
        // A list that failed part-way shows "b" only; its restart shows "a" and "c" again.
        _ = store.apply(.listedPage([configMap("b", managedFields: false)], first: true))
        _ = store.apply(.listedPage([configMap("c", managedFields: false, data: "new")], first: true))
        let page = store.apply(.listedPage([configMap("a", managedFields: true)], first: false))
        #expect(page.isEmpty, "an unchanged object without a resourceVersion is compared by content")
        #expect(!store.hasSynced)
        let completed = store.apply(.initialListComplete)
        #expect(store.hasSynced)
        #expect(completed.map { $0.old?.key.name } == ["b"])
        #expect(completed.allSatisfy { $0.new == nil && $0.listed })
        #expect(Set(store.all.map(\.key.name)) == ["a", "c"])
        #expect(store.object(namespace: "default", name: "c")?.json["data"] == ["k": "new"])
        // An initialListComplete with no list in pages before it removes nothing.
        #expect(store.apply(.initialListComplete).isEmpty)
    }
}

extension ObjectStoreTests {
    @Test("an informer caches an event's object from its bytes exactly as from the decoded object")
    func cachedFromEventBytes() throws {
        let texts = [
            #"""
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"child","namespace":"ns","uid":"c1",
            "resourceVersion":"12","generation":2,"labels":{"\#(TrackingLabels.parentUID)":"p1","app":"x"},
            "ownerReferences":[{"apiVersion":"example.com/v1","kind":"Parent","name":"p","uid":"p2","controller":true}],
            "managedFields":[{"manager":"roperator","operation":"Apply"}],"deletionTimestamp":"2026-12-06T00:00:00Z"},
            "data":{"k":"v"}}
            """#,
            // Without apiVersion and kind: completed from the watched type, as the decoding path does.
            #"{"metadata":{"name":"bare","namespace":"ns","resourceVersion":"3","managedFields":[]},"data":{}}"#,
        ]
        for text in texts {
            let bytes = Array(text.utf8)
            let decoded = try bytes.withUnsafeBytes { json in
                CachedObject(try KubeObject.decode(watched: json, type: .configMap, source: "test"))
            }
            let scanned = try bytes.withUnsafeBytes { json in
                try CachedObject.decode(watched: json, type: .configMap, source: "test")
            }
            #expect(scanned.key == decoded.key)
            #expect(scanned.uid == decoded.uid)
            #expect(scanned.resourceVersion == decoded.resourceVersion)
            #expect(scanned.generation == decoded.generation)
            #expect(scanned.isBeingDeleted == decoded.isBeingDeleted)
            #expect(scanned.owners == decoded.owners)
            #expect(scanned.object == decoded.object)
            #expect(scanned.object.json[path: "metadata", "managedFields"] == nil)
            #expect(scanned.object.kind == "ConfigMap")
        }
        // A guessed object range that holds more than one value is refused, so the watch reads the
        // line member by member.
        for malformed in [#"{"metadata":{"name":"a"}},"x":{"y":2}"#, #"{"metadata":{"name":"a"}"#, "[1]"] {
            #expect(throws: KubeClientError.self, "\(malformed)") {
                try Array(malformed.utf8).withUnsafeBytes { json in try CachedObject.decode(watched: json, type: .configMap, source: "test")
                }
            }
        }
    }
}
