import RoperatorClient
import Testing

@testable import RoperatorAPIServer

@Suite("Store: create, get, list, replace")
struct StoreCRUDTests {
    @Test func createSetsServerFields() throws {
        let f = StoreFixture()
        let before = f.store.resourceVersion
        let cm = try f.createConfigMap("a")
        #expect(cm[path: "metadata", "uid"]?.stringValue?.count == 36)
        #expect(cm[path: "metadata", "generation"] == nil) // kube-apiserver gives ConfigMaps none
        #expect(cm[path: "metadata", "namespace"] == "default")
        #expect(cm[path: "metadata", "creationTimestamp"]?.stringValue?.hasSuffix("Z") == true)
        #expect(Int64(cm.rv ?? "") == before + 1)
        #expect(try f.store.get(f.configMaps, namespace: "default", name: "a") == cm)
        let entries = cm[path: "metadata", "managedFields"]?.arrayValue ?? []
        #expect(entries.first?["operation"] == "Update")
        #expect(entries.first?[path: "fieldsV1", "f:data", "f:k"] == .emptyObject)
    }

    @Test func generateNameAddsFiveCharacters() throws {
        let f = StoreFixture()
        let a = try f.store.create(f.configMaps, namespace: "default", object: ["metadata": ["generateName": "job-"]])
        let b = try f.store.create(f.configMaps, namespace: "default", object: ["metadata": ["generateName": "job-"]])
        let name = try #require(a.name)
        #expect(name.hasPrefix("job-") && name.count == 9)
        #expect(a.name != b.name)
    }

    @Test func createErrors() throws {
        let f = StoreFixture()
        try f.createConfigMap("a")
        #expect(throws: APIError.alreadyExists(group: "", plural: "configmaps", name: "a")) {
            try f.createConfigMap("a")
        }
        let missing = #expect(throws: APIError.self) { try f.createConfigMap("a", namespace: "nope") }
        #expect(missing?.code == 404)
        #expect(missing?.message == "namespaces \"nope\" not found")
        let invalid = #expect(throws: APIError.self) { try f.createConfigMap("Bad_Name") }
        #expect(invalid?.code == 422)
        #expect(invalid?.statusJSON[path: "details", "causes"]?[0]?["field"] == "metadata.name")
        let mismatch = #expect(throws: APIError.self) {
            try f.store.create(f.configMaps, namespace: "default", object: ["metadata": ["name": "x", "namespace": "kube-system"]])
        }
        #expect(mismatch?.code == 400)
        let noName = #expect(throws: APIError.self) {
            try f.store.create(f.configMaps, namespace: "default", object: ["metadata": .emptyObject])
        }
        #expect(noName?.code == 422)
        let wrongKind = #expect(throws: APIError.self) {
            try f.store.create(f.configMaps, namespace: "default", object: ["kind": "Secret", "metadata": ["name": "x"]])
        }
        #expect(wrongKind?.code == 400)
    }

    @Test func errorStatusBody() {
        let status = APIError.notFound(group: "apps", plural: "deployments", name: "web").statusJSON
        #expect(status["kind"] == "Status")
        #expect(status["apiVersion"] == "v1")
        #expect(status["status"] == "Failure")
        #expect(status["reason"] == "NotFound")
        #expect(status["code"] == 404)
        #expect(status["message"] == "deployments.apps \"web\" not found")
        #expect(status["details"] == ["name": "web", "group": "apps", "kind": "deployments"])
    }

    @Test func listWithSelectorsAndNamespaces() throws {
        let f = StoreFixture()
        try f.createNamespace("other")
        try f.createConfigMap("a", labels: ["app": "web", "tier": "front"])
        try f.createConfigMap("b", labels: ["app": "db"])
        try f.createConfigMap("c")
        try f.createConfigMap("d", namespace: "other", labels: ["app": "web"])
        let all = try f.store.list(f.configMaps, namespace: nil)
        #expect(all.itemNames == ["a", "b", "c", "d"])
        #expect(all["kind"] == "ConfigMapList")
        #expect(all[path: "metadata", "resourceVersion"]?.stringValue == String(f.store.resourceVersion))
        func names(_ ns: String?, label: String? = nil, field: String? = nil) throws -> [String] {
            try f.store.list(f.configMaps, namespace: ns, options: ListOptions(labelSelector: label, fieldSelector: field)).itemNames
        }
        #expect(try names("default") == ["a", "b", "c"])
        #expect(try names(nil, label: "app=web") == ["a", "d"])
        #expect(try names(nil, label: "app==web,tier") == ["a"])
        #expect(try names(nil, label: "app!=web") == ["b", "c"])
        #expect(try names(nil, label: "app in (db, web)") == ["a", "b", "d"])
        #expect(try names(nil, label: "app notin (web)") == ["b", "c"])
        #expect(try names(nil, label: "!app") == ["c"])
        #expect(try names(nil, field: "metadata.name=b") == ["b"])
        #expect(try names(nil, field: "metadata.namespace!=default") == ["d"])
        #expect(try names(nil, label: "app=web", field: "metadata.namespace==default") == ["a"])
        #expect(throws: APIError.self) { try names(nil, label: "app in web") }
        let unsupported = #expect(throws: APIError.self) { try names(nil, field: "data.k=v") }
        #expect(unsupported?.code == 400)
    }

    @Test func paginationWithContinueTokens() throws {
        let f = StoreFixture()
        for i in 0..<5 { try f.createConfigMap("cm\(i)") }
        let first = try f.store.list(f.configMaps, namespace: "default", options: ListOptions(limit: 2))
        #expect(first.itemNames == ["cm0", "cm1"])
        #expect(first[path: "metadata", "remainingItemCount"] == 3)
        let token = try #require(first[path: "metadata", "continue"]?.stringValue)
        try f.createConfigMap("cm5")
        let second = try f.store.list(f.configMaps, namespace: "default", options: ListOptions(limit: 2, continueToken: token))
        #expect(second.itemNames == ["cm2", "cm3"])
        #expect(second[path: "metadata", "resourceVersion"] == first[path: "metadata", "resourceVersion"])
        let third = try f.store.list(
            f.configMaps, namespace: "default",
            options: ListOptions(limit: 5, continueToken: second[path: "metadata", "continue"]?.stringValue))
        #expect(third.itemNames == ["cm4"]) // the list's version predates cm5
        #expect(third[path: "metadata", "continue"] == nil)
        f.store.compact()
        let expired = #expect(throws: APIError.self) {
            try f.store.list(f.configMaps, namespace: "default", options: ListOptions(limit: 2, continueToken: token))
        }
        #expect(expired?.code == 410)
        #expect(expired?.reason == "Expired")
    }

    @Test func listResourceVersionMatch() throws {
        let f = StoreFixture()
        try f.createConfigMap("a")
        let current = String(f.store.resourceVersion)
        let exact = try f.store.list(
            f.configMaps, namespace: nil, options: ListOptions(resourceVersion: current, resourceVersionMatch: "Exact"))
        #expect(exact.itemNames == ["a"])
        try f.createConfigMap("b")
        // An older version is served as it was, until compaction.
        let before = try f.store.list(
            f.configMaps, namespace: nil, options: ListOptions(resourceVersion: current, resourceVersionMatch: "Exact"))
        #expect(before.itemNames == ["a"])
        #expect(before[path: "metadata", "resourceVersion"] == .string(current))
        f.store.compact()
        let old = #expect(throws: APIError.self) {
            try f.store.list(f.configMaps, namespace: nil, options: ListOptions(resourceVersion: current, resourceVersionMatch: "Exact"))
        }
        #expect(old?.code == 410)
        let notOlder = try f.store.list(
            f.configMaps, namespace: nil, options: ListOptions(resourceVersion: current, resourceVersionMatch: "NotOlderThan"))
        #expect(notOlder.itemNames == ["a", "b"])
    }

    @Test func replaceWithOptimisticConcurrency() throws {
        let f = StoreFixture()
        var cm = try f.createConfigMap("a")
        cm["data"] = ["k": "v2"]
        let updated = try f.store.replace(f.configMaps, namespace: "default", name: "a", object: cm)
        #expect(updated["data"] == ["k": "v2"])
        #expect(Int64(updated.rv ?? "")! > Int64(cm.rv ?? "")!)
        // `cm` still carries the old resourceVersion.
        let stale = #expect(throws: APIError.self) {
            try f.store.replace(f.configMaps, namespace: "default", name: "a", object: cm)
        }
        #expect(stale?.code == 409)
        #expect(
            stale?.message.hasSuffix("the object has been modified; please apply your changes to the latest version and try again") == true)
        // Without a resourceVersion the write is unconditional.
        var blind = cm
        blind[path: "metadata", "resourceVersion"] = nil
        blind["data"] = ["k": "v3"]
        let forced = try f.store.replace(f.configMaps, namespace: "default", name: "a", object: blind)
        #expect(forced["data"] == ["k": "v3"])
        #expect(forced[path: "metadata", "uid"] == cm[path: "metadata", "uid"])
        #expect(forced[path: "metadata", "creationTimestamp"] == cm[path: "metadata", "creationTimestamp"])
        var wrongUID = forced
        wrongUID[path: "metadata", "uid"] = "0000"
        #expect(throws: APIError.self) { try f.store.replace(f.configMaps, namespace: "default", name: "a", object: wrongUID) }
        let wrongName = #expect(throws: APIError.self) {
            try f.store.replace(f.configMaps, namespace: "default", name: "b", object: forced)
        }
        #expect(wrongName?.code == 400)
        #expect(throws: APIError.notFound(group: "", plural: "configmaps", name: "zzz")) {
            try f.store.replace(f.configMaps, namespace: "default", name: "zzz", object: ["metadata": ["name": "zzz"]])
        }
    }

    @Test func unchangedWriteKeepsResourceVersion() throws {
        let f = StoreFixture()
        let cm = try f.createConfigMap("a")
        let same = try f.store.replace(f.configMaps, namespace: "default", name: "a", object: cm)
        #expect(same.rv == cm.rv)
        #expect(f.store.resourceVersion == Int64(cm.rv ?? "")!)
    }

    @Test func generationCountsSpecChangesOnly() throws {
        let f = StoreFixture()
        var deploy = try f.store.create(
            f.deployments, namespace: "default",
            object: [
                "metadata": ["name": "web"],
                "spec": [
                    "replicas": 1, "selector": ["matchLabels": ["app": "web"]],
                    "template": ["metadata": ["labels": ["app": "web"]], "spec": ["containers": [["name": "web", "image": "nginx"]]]],
                ],
                "status": ["replicas": 5],
            ])
        #expect(deploy[path: "metadata", "generation"] == 1)
        #expect(deploy["status"] == nil) // status is not settable on create when it is a subresource
        deploy[path: "metadata", "labels"] = ["a": "b"]
        deploy = try f.store.replace(f.deployments, namespace: "default", name: "web", object: deploy)
        #expect(deploy[path: "metadata", "generation"] == 1)
        deploy[path: "spec", "replicas"] = 3
        deploy["status"] = ["replicas": 9] // ignored on the main resource
        deploy = try f.store.replace(f.deployments, namespace: "default", name: "web", object: deploy)
        #expect(deploy[path: "metadata", "generation"] == 2)
        #expect(deploy["status"] == nil)
        // /status changes only status, and not the generation.
        var statusWrite = deploy
        statusWrite["status"] = ["replicas": 3]
        statusWrite[path: "spec", "replicas"] = 100
        deploy = try f.store.replace(f.deployments, namespace: "default", name: "web", object: statusWrite, subresource: .status)
        #expect(deploy["status"] == ["replicas": 3])
        #expect(deploy[path: "spec", "replicas"] == 3)
        #expect(deploy[path: "metadata", "generation"] == 2)
        let entries = deploy[path: "metadata", "managedFields"]?.arrayValue ?? []
        #expect(entries.contains { $0["subresource"] == "status" })
    }

    @Test func immutableConfigMap() throws {
        let f = StoreFixture()
        var cm = try f.store.create(
            f.configMaps, namespace: "default", object: ["metadata": ["name": "frozen"], "data": ["a": "1"], "immutable": true])
        cm["data"] = ["a": "2"]
        let err = #expect(throws: APIError.self) {
            try f.store.replace(f.configMaps, namespace: "default", name: "frozen", object: cm)
        }
        #expect(err?.code == 422)
    }

    @Test func namespacesAreDefaultedAndValidated() throws {
        let f = StoreFixture()
        let ns = try f.createNamespace("team-a")
        #expect(ns[path: "status", "phase"] == "Active")
        #expect(ns[path: "spec", "finalizers"] == ["kubernetes"])
        #expect(try f.store.list(f.namespaces, namespace: nil).itemNames.contains("kube-system"))
        let bad = #expect(throws: APIError.self) { try f.createNamespace("a.b") }
        #expect(bad?.code == 422)
    }
}

@Suite("Store: built-in defaults")
struct StoreDefaultsTests {
    @Test func secretStringDataBecomesData() throws {
        let f = StoreFixture()
        let secrets = f.info("secrets")
        let s = try f.store.create(secrets, namespace: "default", object: ["metadata": ["name": "s"], "stringData": ["user": "admin"]])
        #expect(s["data"] == ["user": "YWRtaW4="])
        #expect(s["stringData"] == nil)
        #expect(s["type"] == "Opaque")
    }

    @Test func podsAndServicesGetServerDefaults() throws {
        let f = StoreFixture()
        let pod = try f.store.create(
            f.pods, namespace: "default", object: ["metadata": ["name": "p"], "spec": ["containers": [["name": "c", "image": "x"]]]])
        #expect(pod[path: "status", "phase"] == "Pending")
        let svc = try f.store.create(
            f.info("services"), namespace: "default", object: ["metadata": ["name": "web"], "spec": ["ports": [["port": 80]]]])
        #expect(svc[path: "spec", "type"] == "ClusterIP")
        #expect(svc[path: "spec", "clusterIP"]?.stringValue?.hasPrefix("10.96.") == true)
        #expect(svc[path: "spec", "ports"]?[0]?["targetPort"] == 80)
        #expect(svc[path: "spec", "ports"]?[0]?["protocol"] == "TCP")
    }
}
