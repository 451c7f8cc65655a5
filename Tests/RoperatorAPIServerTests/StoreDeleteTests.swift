import RoperatorClient
import Testing

@testable import RoperatorAPIServer

@Suite("Store: deletion, finalizers, garbage collection")
struct StoreDeleteTests {
    @Test func deleteAndPreconditions() throws {
        let f = StoreFixture()
        let cm = try f.createConfigMap("a")
        let wrongUID = #expect(throws: APIError.self) {
            try f.store.delete(f.configMaps, namespace: "default", name: "a", options: DeleteOptions(preconditionUID: "x"))
        }
        #expect(wrongUID?.code == 409)
        let wrongRV = #expect(throws: APIError.self) {
            try f.store.delete(f.configMaps, namespace: "default", name: "a", options: DeleteOptions(preconditionResourceVersion: "1"))
        }
        #expect(wrongRV?.code == 409)
        let r = try f.store.delete(
            f.configMaps, namespace: "default", name: "a",
            options: DeleteOptions(preconditionUID: cm[path: "metadata", "uid"]?.stringValue, preconditionResourceVersion: cm.rv))
        #expect(r.removed)
        #expect(throws: APIError.notFound(group: "", plural: "configmaps", name: "a")) {
            try f.store.get(f.configMaps, namespace: "default", name: "a")
        }
        #expect(throws: APIError.notFound(group: "", plural: "configmaps", name: "a")) {
            try f.store.delete(f.configMaps, namespace: "default", name: "a")
        }
    }

    @Test func deleteOptionsBody() throws {
        let o = try DeleteOptions(body: [
            "kind": "DeleteOptions", "apiVersion": "v1", "propagationPolicy": "Foreground",
            "preconditions": ["uid": "u", "resourceVersion": "7"], "gracePeriodSeconds": 0,
        ])
        #expect(o.propagationPolicy == .foreground)
        #expect(o.preconditionUID == "u")
        #expect(o.preconditionResourceVersion == "7")
        #expect(o.gracePeriodSeconds == 0)
        #expect(try DeleteOptions(body: ["orphanDependents": true]).propagationPolicy == .orphan)
        #expect(throws: APIError.self) { try DeleteOptions(body: ["propagationPolicy": "Sometimes"]) }
    }

    @Test func finalizersKeepTheObjectUntilRemoved() async throws {
        let f = StoreFixture()
        try f.createConfigMap("held", extraMetadata: ["finalizers": ["example.com/cleanup"]])
        let watch = try f.store.watch(
            f.configMaps, namespace: "default", options: WatchOptions(resourceVersion: String(f.store.resourceVersion)))
        let r = try f.store.delete(f.configMaps, namespace: "default", name: "held", options: DeleteOptions(gracePeriodSeconds: 30))
        #expect(!r.removed)
        #expect(r.object[path: "metadata", "deletionTimestamp"] != nil)
        #expect(r.object[path: "metadata", "deletionGracePeriodSeconds"] == 30)
        var held = try f.store.get(f.configMaps, namespace: "default", name: "held")
        #expect(held[path: "metadata", "deletionTimestamp"] != nil)
        // No new finalizers once deletion started.
        var more = held
        more[path: "metadata", "finalizers"] = ["example.com/cleanup", "another"]
        let forbidden = #expect(throws: APIError.self) {
            try f.store.replace(f.configMaps, namespace: "default", name: "held", object: more)
        }
        #expect(forbidden?.code == 422)
        // Deleting again changes nothing.
        #expect(try f.store.delete(f.configMaps, namespace: "default", name: "held").removed == false)
        held[path: "metadata", "finalizers"] = nil
        let last = try f.store.replace(f.configMaps, namespace: "default", name: "held", object: held)
        #expect(last.rv == String(f.store.resourceVersion))
        #expect(throws: APIError.self) { try f.store.get(f.configMaps, namespace: "default", name: "held") }
        #expect(summary(await watch.drain()) == ["MODIFIED held", "DELETED held"])
    }

    func owned(_ f: StoreFixture, owner: JSONValue, name: String, block: Bool = false) throws -> JSONValue {
        let ref: JSONValue = [
            "apiVersion": "apps/v1", "kind": "Deployment", "name": owner["metadata"]!["name"]!,
            "uid": owner[path: "metadata", "uid"]!, "blockOwnerDeletion": .bool(block),
        ]
        return try f.createConfigMap(name, extraMetadata: ["ownerReferences": [ref]])
    }

    @Test func backgroundDeletionCollectsDependents() async throws {
        let f = StoreFixture()
        let owner = try f.store.create(f.deployments, namespace: "default", object: ["metadata": ["name": "web"]])
        try owned(f, owner: owner, name: "dep1")
        try owned(f, owner: owner, name: "dep2")
        try f.createConfigMap("unrelated")
        _ = try f.store.delete(f.deployments, namespace: "default", name: "web")
        await f.store.awaitQuiescence()
        #expect(try f.store.list(f.configMaps, namespace: "default").itemNames == ["unrelated"])
    }

    @Test func dependentWithAnotherLiveOwnerSurvives() throws {
        let f = StoreFixture()
        let a = try f.store.create(f.deployments, namespace: "default", object: ["metadata": ["name": "a"]])
        let b = try f.store.create(f.deployments, namespace: "default", object: ["metadata": ["name": "b"]])
        let refs: JSONValue = .array(
            [a, b].map { o in
                ["apiVersion": "apps/v1", "kind": "Deployment", "name": o["metadata"]!["name"]!, "uid": o[path: "metadata", "uid"]!]
            })
        try f.createConfigMap("shared", extraMetadata: ["ownerReferences": refs])
        _ = try f.store.delete(f.deployments, namespace: "default", name: "a")
        #expect(try f.store.list(f.configMaps, namespace: "default").itemNames == ["shared"])
        _ = try f.store.delete(f.deployments, namespace: "default", name: "b")
        #expect(try f.store.list(f.configMaps, namespace: "default").itemNames == [])
    }

    @Test func orphanDeletionRemovesOwnerReferences() throws {
        let f = StoreFixture()
        let owner = try f.store.create(f.deployments, namespace: "default", object: ["metadata": ["name": "web"]])
        try owned(f, owner: owner, name: "dep")
        let r = try f.store.delete(f.deployments, namespace: "default", name: "web", options: DeleteOptions(propagationPolicy: .orphan))
        #expect(r.removed)
        let dep = try f.store.get(f.configMaps, namespace: "default", name: "dep")
        #expect(dep[path: "metadata", "ownerReferences"] == nil)
    }

    @Test func foregroundDeletionWaitsForBlockingDependents() async throws {
        let f = StoreFixture()
        let owner = try f.store.create(f.deployments, namespace: "default", object: ["metadata": ["name": "web"]])
        // A blocking dependent held by its own finalizer keeps the owner around.
        let ref: JSONValue = [
            "apiVersion": "apps/v1", "kind": "Deployment", "name": "web", "uid": owner[path: "metadata", "uid"]!,
            "blockOwnerDeletion": true,
        ]
        try f.createConfigMap("blocker", extraMetadata: ["ownerReferences": [ref], "finalizers": ["example.com/x"]])
        try owned(f, owner: owner, name: "plain", block: true)
        let r = try f.store.delete(f.deployments, namespace: "default", name: "web", options: DeleteOptions(propagationPolicy: .foreground))
        #expect(!r.removed)
        let waiting = try f.store.get(f.deployments, namespace: "default", name: "web")
        #expect(waiting[path: "metadata", "finalizers"] == ["foregroundDeletion"])
        #expect(waiting[path: "metadata", "deletionTimestamp"] != nil)
        #expect(try f.store.list(f.configMaps, namespace: "default").itemNames == ["blocker"])
        _ = try f.store.patch(
            f.configMaps, namespace: "default", name: "blocker", type: .merge,
            body: f.bytes(#"{"metadata":{"finalizers":null}}"#))
        await f.store.awaitQuiescence()
        #expect(throws: APIError.self) { try f.store.get(f.deployments, namespace: "default", name: "web") }
        #expect(try f.store.list(f.configMaps, namespace: "default").itemNames == [])
    }

    @Test func namespaceDeletionRemovesContents() throws {
        let f = StoreFixture()
        try f.createNamespace("doomed")
        try f.createConfigMap("a", namespace: "doomed")
        try f.createConfigMap("held", namespace: "doomed", extraMetadata: ["finalizers": ["example.com/x"]])
        try f.createConfigMap("kept", namespace: "default")
        let r = try f.store.delete(f.namespaces, namespace: nil, name: "doomed")
        #expect(!r.removed)
        let ns = try f.store.get(f.namespaces, namespace: nil, name: "doomed")
        #expect(ns[path: "status", "phase"] == "Terminating")
        #expect(try f.store.list(f.configMaps, namespace: "doomed").itemNames == ["held"])
        let refused = #expect(throws: APIError.self) { try f.createConfigMap("new", namespace: "doomed") }
        #expect(refused?.code == 403)
        _ = try f.store.patch(
            f.configMaps, namespace: "doomed", name: "held", type: .json,
            body: f.bytes(#"[{"op":"remove","path":"/metadata/finalizers"}]"#))
        #expect(throws: APIError.notFound(group: "", plural: "namespaces", name: "doomed")) {
            try f.store.get(f.namespaces, namespace: nil, name: "doomed")
        }
        #expect(try f.store.list(f.configMaps, namespace: nil).itemNames == ["kept"])
    }

    @Test func deleteCollectionHonoursSelectors() throws {
        let f = StoreFixture()
        try f.createConfigMap("a", labels: ["x": "1"])
        try f.createConfigMap("b", labels: ["x": "1"])
        try f.createConfigMap("c")
        let deleted = try f.store.deleteCollection(f.configMaps, namespace: "default", listOptions: ListOptions(labelSelector: "x=1"))
        #expect(deleted.itemNames == ["a", "b"])
        #expect(try f.store.list(f.configMaps, namespace: "default").itemNames == ["c"])
    }

    @Test func dryRunChangesNothing() throws {
        let f = StoreFixture()
        let rv = f.store.resourceVersion
        _ = try f.store.create(
            f.configMaps, namespace: "default", object: ["metadata": ["name": "dry"]], options: WriteOptions(dryRun: true))
        #expect(f.store.resourceVersion == rv)
        #expect(throws: APIError.self) { try f.store.get(f.configMaps, namespace: "default", name: "dry") }
    }
}
