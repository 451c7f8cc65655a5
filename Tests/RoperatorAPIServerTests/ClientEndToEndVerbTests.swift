import RoperatorClient
import RoperatorAPIServer
import Testing

/// Every `KubeClient` verb against the embedded API server, for a namespaced built-in, a
/// cluster-scoped built-in, a namespaced and a cluster-scoped custom resource.
@Suite("Client end to end: verbs", .timeLimit(.minutes(1)))
struct ClientEndToEndVerbTests {
    static let crds = EmbeddedAPIServer.Configuration(customResourceDefinitions: [widgetCRD(), gadgetCRD()])

    /// The types exercised and a minimal valid object of each.
    struct Subject: Sendable, CustomStringConvertible {
        var type: K8sType
        var body: @Sendable (_ name: String) -> JSONValue
        var description: String { type.kind }

        func object(_ name: String, labels: [String: String] = [:], finalizers: [String] = []) -> KubeObject {
            var object = KubeObject(body(name))
            object.apiVersion = type.apiVersion
            object.kind = type.kind
            object.name = name
            if type.namespaced { object.namespace = "default" }
            if !labels.isEmpty { object.labels = labels }
            if !finalizers.isEmpty { object.json[path: "metadata", "finalizers"] = .array(finalizers.map(JSONValue.string)) }
            return object
        }
    }

    static let subjects: [Subject] = [
        Subject(type: .configMap) { _ in ["data": ["k": "v"]] },
        Subject(type: .clusterRole) { _ in ["rules": [["apiGroups": [""], "resources": ["pods"], "verbs": ["get"]]]] },
        Subject(type: .widget) { _ in ["spec": ["size": 1, "color": "red"]] },
        Subject(type: .gadget) { _ in ["spec": ["size": 1, "color": "red"]] },
    ]

    @Test(arguments: subjects)
    func createGetReplaceAndConflicts(_ subject: Subject) async throws {
        try await withServerAndClient(Self.crds) { _, client in
            let type = subject.type
            let created = try await client.create(type, subject.object("a", labels: ["app": "web"]))
            #expect(created.uid?.isEmpty == false)
            let createdVersion = try #require(created.resourceVersion)
            #expect(created.namespace == (type.namespaced ? "default" : nil))

            // No namespace given: the configuration's (`default`) for namespaced types, none otherwise.
            let read = try await client.get(type, name: "a")
            #expect(read.uid == created.uid)
            #expect(read.resourceVersion == createdVersion)
            #expect(read.labels == ["app": "web"])

            var changed = read
            changed.annotations = ["note": "changed"]
            let replaced = try await client.replace(type, changed)
            #expect(replaced.annotations["note"] == "changed")
            #expect(replaced.resourceVersion != createdVersion)

            var stale = read
            stale.annotations = ["note": "stale"]
            let conflict = try await #require(throws: KubeAPIError.self) { _ = try await client.replace(type, stale) }
            #expect(conflict.isConflict)
            #expect(conflict.code == 409)
            #expect(try await client.get(type, name: "a").annotations["note"] == "changed")

            let exists = try await #require(throws: KubeAPIError.self) { _ = try await client.create(type, subject.object("a")) }
            #expect(exists.isAlreadyExists)
            let missing = try await #require(throws: KubeAPIError.self) { _ = try await client.get(type, name: "nope") }
            #expect(missing.isNotFound)
            #expect(missing.details?.name == "nope")
        }
    }

    @Test(arguments: subjects)
    func listWithSelectorsAndPagination(_ subject: Subject) async throws {
        let log = RequestLog()
        try await withServerAndClient(Self.crds, log: log) { _, client in
            let type = subject.type
            for i in 0..<7 {
                _ = try await client.create(
                    type, subject.object("item-\(i)", labels: ["app": i.isMultiple(of: 2) ? "web" : "db", "index": "\(i)"]))
            }
            let collection = collectionPath(type, namespace: "default")
            log.clear()
            let all = try await client.list(type, namespace: "default", pageSize: 2)
            let items = all.items.filter { $0.name?.hasPrefix("item-") == true }
            #expect(items.compactMap(\.name) == (0..<7).map { "item-\($0)" })
            #expect(all.items.allSatisfy { $0.kind == type.kind && $0.apiVersion == type.apiVersion })
            #expect(!all.resourceVersion.isEmpty)
            #expect(log.requests("GET", collection).count == (all.items.count + 1) / 2)

            // Typed and string selectors give the same answers; pagination keeps the selector.
            log.clear()
            let web = try await client.list(type, namespace: "default", labelSelector: LabelSelector(parsing: "app=web"), pageSize: 3)
            #expect(web.items.compactMap(\.name) == ["item-0", "item-2", "item-4", "item-6"])
            #expect(log.requests("GET", collection).count == 2)
            let webByString = try await client.list(type, namespace: "default", labelSelector: "app=web", pageSize: 3)
            #expect(webByString.items.compactMap(\.name) == web.items.compactMap(\.name))

            let set = try await client.list(type, namespace: "default", labelSelector: "app in (web,db),index notin (0,1,2)")
            #expect(set.items.compactMap(\.name) == ["item-3", "item-4", "item-5", "item-6"])
            let typedSet = try await client.list(
                type, namespace: "default", labelSelector: LabelSelector(parsing: "index notin (2,1,0), app in (db, web), !missing"),
                pageSize: 2)
            #expect(typedSet.items.compactMap(\.name) == set.items.compactMap(\.name))

            let byName = try await client.list(type, namespace: "default", fieldSelector: FieldSelector(parsing: "metadata.name=item-3"))
            #expect(byName.items.compactMap(\.name) == ["item-3"])

            let both = try await client.list(
                type, namespace: "default", labelSelector: LabelSelector(parsing: "app=web"),
                fieldSelector: FieldSelector(parsing: "metadata.name!=item-0"), pageSize: 1)
            #expect(both.items.compactMap(\.name) == ["item-2", "item-4", "item-6"])

            let none = try await client.list(type, namespace: "default", labelSelector: LabelSelector(parsing: "app=nothing"))
            #expect(none.items.isEmpty)

            let badField = try await #require(throws: KubeAPIError.self) {
                _ = try await client.list(type, fieldSelector: FieldSelector(parsing: "spec.nothing=1"))
            }
            #expect(badField.code == 400)
        }
    }

    @Test func listAcrossNamespaces() async throws {
        try await withServerAndClient { _, client in
            _ = try await client.create(.namespace, KubeObject(type: .namespace, name: "team-a"))
            _ = try await client.create(.configMap, KubeObject(configMap("one", namespace: "default", labels: ["app": "x"])))
            _ = try await client.create(.configMap, KubeObject(configMap("two", namespace: "team-a", labels: ["app": "x"])))
            let everywhere = try await client.list(.configMap, labelSelector: LabelSelector(parsing: "app=x"), pageSize: 1)
            #expect(Set(everywhere.items.map { "\($0.namespace ?? "")/\($0.name ?? "")" }) == ["default/one", "team-a/two"])
            let inTeam = try await client.list(.configMap, fieldSelector: FieldSelector(parsing: "metadata.namespace=team-a"))
            #expect(inTeam.items.compactMap(\.name).contains("two"))
            #expect(!inTeam.items.compactMap(\.name).contains("one"))
        }
    }

    @Test(arguments: subjects)
    func patchTypes(_ subject: Subject) async throws {
        try await withServerAndClient(Self.crds) { _, client in
            let type = subject.type
            let created = try await client.create(type, subject.object("p", labels: ["app": "web"]))

            let merged = try await client.patch(type, name: "p", patch: ["metadata": ["labels": ["merge": "yes"]]], as: .merge)
            #expect(merged.labels == ["app": "web", "merge": "yes"])
            #expect(merged.resourceVersion != created.resourceVersion)

            let jsonPatched = try await client.patch(
                type, name: "p", patch: [["op": "add", "path": "/metadata/annotations", "value": ["json": "yes"]]], as: .jsonPatch)
            #expect(jsonPatched.annotations == ["json": "yes"])

            if type.group.isEmpty || type.group.hasSuffix(".k8s.io") {
                let strategic = try await client.patch(type, name: "p", patch: ["metadata": ["labels": ["sm": "yes"]]], as: .strategicMerge)
                #expect(strategic.labels == ["app": "web", "merge": "yes", "sm": "yes"])
            } else {
                // As on a real server, custom resources have no strategic merge patch.
                let refused = try await #require(throws: KubeAPIError.self) {
                    _ = try await client.patch(type, name: "p", patch: ["metadata": ["labels": ["sm": "yes"]]], as: .strategicMerge)
                }
                #expect(refused.code == 415)
            }

            // Server-side apply: alice takes a label, bob collides with it, then forces it.
            func applied(_ labels: [String: String]) -> JSONValue {
                var object = KubeObject(type: type, namespace: type.namespaced ? "default" : nil, name: "p")
                object.labels = labels
                return object.json
            }
            let alice = try await client.patch(type, name: "p", patch: applied(["owner": "alice"]), as: .apply(fieldManager: "alice"))
            #expect(alice.labels["owner"] == "alice")
            let managers = alice.json[path: "metadata", "managedFields"]?.arrayValue ?? []
            #expect(managers.contains { $0["manager"] == "alice" && $0["operation"] == "Apply" })

            let collision = try await #require(throws: KubeAPIError.self) {
                _ = try await client.patch(type, name: "p", patch: applied(["owner": "bob"]), as: .apply(fieldManager: "bob"))
            }
            #expect(collision.isConflict)
            #expect(collision.message.contains("alice"))

            let forced = try await client.patch(
                type, name: "p", patch: applied(["owner": "bob"]), as: .apply(fieldManager: "bob", force: true))
            #expect(forced.labels["owner"] == "bob")
            #expect(forced.labels["app"] == "web")

            // Apply creates what does not exist yet.
            var fresh = subject.object("applied")
            fresh.json[path: "metadata", "labels"] = ["via": "apply"]
            let createdByApply = try await client.patch(type, name: "applied", patch: fresh.json, as: .apply(fieldManager: "alice"))
            #expect(createdByApply.uid != nil)
            #expect(try await client.get(type, name: "applied").labels == ["via": "apply"])
        }
    }

    @Test(arguments: [K8sType.widget, .gadget])
    func statusSubresource(_ type: K8sType) async throws {
        try await withServerAndClient(Self.crds) { _, client in
            var object = KubeObject(type: type, namespace: type.namespaced ? "default" : nil, name: "s")
            object.json["spec"] = ["size": 1]
            let created = try await client.create(type, object)

            let status = try await client.getStatus(type, name: "s")
            #expect(status.uid == created.uid)

            // Through the subresource only the status changes.
            var withStatus = status
            withStatus.json["status"] = ["ready": true]
            withStatus.json["spec"] = ["size": 99]
            let replaced = try await client.replaceStatus(type, withStatus)
            #expect(replaced.status?["ready"] == true)
            #expect(replaced.spec?["size"] == 1)

            let stale = try await #require(throws: KubeAPIError.self) { _ = try await client.replaceStatus(type, withStatus) }
            #expect(stale.isConflict)

            let patched = try await client.patchStatus(type, name: "s", patch: ["status": ["ready": false]], as: .merge)
            #expect(patched.status?["ready"] == false)

            var applyBody = KubeObject(type: type, namespace: type.namespaced ? "default" : nil, name: "s")
            applyBody.json["status"] = ["ready": true]
            let applied = try await client.patchStatus(
                type, name: "s", patch: applyBody.json, as: .apply(fieldManager: "status-writer", force: true))
            #expect(applied.status?["ready"] == true)
            #expect(try await client.getStatus(type, name: "s").status?["ready"] == true)

            // The main resource ignores status changes.
            var main = try await client.get(type, name: "s")
            main.json["status"] = ["ready": false]
            main.json["spec"] = ["size": 2]
            let mainReplaced = try await client.replace(type, main)
            #expect(mainReplaced.spec?["size"] == 2)
            #expect(mainReplaced.status?["ready"] == true)
        }
    }

    @Test(arguments: subjects)
    func deleteWithPreconditionsAndFinalizers(_ subject: Subject) async throws {
        try await withServerAndClient(Self.crds) { _, client in
            let type = subject.type
            let created = try await client.create(type, subject.object("d"))

            let wrongUID = try await #require(throws: KubeAPIError.self) {
                try await client.delete(type, name: "d", options: DeleteOptions(preconditionUID: "not-the-uid"))
            }
            #expect(wrongUID.isConflict)
            let touched = try await client.patch(type, name: "d", patch: ["metadata": ["labels": ["v": "2"]]], as: .merge)
            let staleVersion = try await #require(throws: KubeAPIError.self) {
                try await client.delete(type, name: "d", options: DeleteOptions(preconditionResourceVersion: created.resourceVersion))
            }
            #expect(staleVersion.isConflict)
            _ = try await client.get(type, name: "d")

            try await client.delete(
                type, name: "d", options: DeleteOptions(preconditionUID: created.uid, preconditionResourceVersion: touched.resourceVersion))
            let gone = try await #require(throws: KubeAPIError.self) { _ = try await client.get(type, name: "d") }
            #expect(gone.isNotFound)
            let again = try await #require(throws: KubeAPIError.self) { try await client.delete(type, name: "d") }
            #expect(again.isNotFound)

            // A finalizer keeps the object, marked for deletion, until it is removed.
            _ = try await client.create(type, subject.object("f", finalizers: ["example.com/keep"]))
            let pending = try #require(try await client.delete(type, name: "f"))
            #expect(pending.isBeingDeleted)
            #expect(pending.finalizers == ["example.com/keep"])
            let kept = try await client.get(type, name: "f")
            #expect(kept.isBeingDeleted)
            #expect(try await client.list(type, fieldSelector: FieldSelector(parsing: "metadata.name=f")).items.count == 1)
            _ = try await client.patch(type, name: "f", patch: ["metadata": ["finalizers": nil]], as: .merge)
            let released = try await #require(throws: KubeAPIError.self) { _ = try await client.get(type, name: "f") }
            #expect(released.isNotFound)
        }
    }

    @Test func deletePropagationPolicies() async throws {
        try await withServerAndClient { _, client in
            func family(_ name: String) async throws -> (parent: KubeObject, child: String) {
                let parent = try await client.create(.configMap, KubeObject(configMap(name, namespace: "default")))
                var child = KubeObject(configMap("\(name)-child", namespace: "default"))
                child.setOwnerReference(try OwnerReference(controllerOf: parent))
                _ = try await client.create(.configMap, child)
                return (parent, "\(name)-child")
            }
            func exists(_ name: String) async throws -> Bool {
                do {
                    _ = try await client.get(.configMap, name: name)
                    return true
                } catch let error as KubeAPIError where error.isNotFound {
                    return false
                }
            }

            let background = try await family("background")
            try await client.delete(.configMap, name: "background", options: DeleteOptions(propagationPolicy: .background))
            try await eventually("the background child is collected") { try await !exists(background.child) }

            let orphan = try await family("orphan")
            try await client.delete(.configMap, name: "orphan", options: DeleteOptions(propagationPolicy: .orphan))
            try await eventually("the orphan parent is gone") { try await !exists("orphan") }
            let orphaned = try await client.get(.configMap, name: orphan.child)
            #expect(!orphaned.isOwned(by: try #require(orphan.parent.uid)))

            let foreground = try await family("foreground")
            let deleting = try await client.delete(.configMap, name: "foreground", options: DeleteOptions(propagationPolicy: .foreground))
            if let deleting {
                // Still present while its blocking child goes first.
                #expect(deleting.finalizers.contains("foregroundDeletion"))
            }
            try await eventually("the foreground child and parent are gone") {
                let childExists = try await exists(foreground.child)
                let parentExists = try await exists("foreground")
                return !childExists && !parentExists
            }
        }
    }

    @Test func discoveryResolvesBuiltInsAndANewCRD() async throws {
        try await withServerAndClient { _, client in
            #expect(try await client.resolve(apiVersion: "v1", kind: "ConfigMap") == .configMap)
            #expect(try await client.resolve(apiVersion: "apps/v1", kind: "Deployment") == .deployment)
            let namespace = try await client.resolve(apiVersion: "v1", kind: "Namespace")
            #expect(namespace == .namespace)
            #expect(!namespace.namespaced)
            #expect(try await client.resolve(apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole") == .clusterRole)

            let unknown = await #expect(throws: (any Error).self) {
                _ = try await client.resolve(apiVersion: "example.com/v1", kind: "Widget")
            }
            #expect((unknown as? KubeAPIError)?.isNotFound == true || (unknown as? KubeClientError)?.code == .unknownKind)

            _ = try await client.create(.customResourceDefinition, KubeObject(widgetCRD()))
            _ = try await client.create(.customResourceDefinition, KubeObject(gadgetCRD()))
            // The earlier miss is not cached: a kind not yet known sends discovery again.
            let resolved: K8sType? = try await client.resolve(apiVersion: "example.com/v1", kind: "Widget")
            #expect(resolved == .widget)
            #expect(try await client.resolve(apiVersion: "example.com/v1", kind: "Gadget") == .gadget)

            // The resolved type works for requests.
            var widget = KubeObject(type: try #require(resolved), namespace: "default", name: "w")
            widget.json["spec"] = ["size": 3]
            _ = try await client.create(try #require(resolved), widget)
            #expect(try await client.get(.widget, name: "w").spec?["size"] == 3)
        }
    }
}
