import RoperatorClient
import Testing

@testable import RoperatorAPIServer

/// `managedFields` bookkeeping for non-apply writes: the one-walk comparison of two objects gives
/// the same paths as comparing their full path sets, and entries the write does not touch are
/// kept as they were.
@Suite struct ManagedFieldsUpdateTests {
    let fixture = StoreFixture()

    /// The definition: both objects' path sets, then each new path's value on both sides.
    func reference(old: JSONValue?, new: JSONValue, scope: FieldPaths.Scope) -> (Set<[String]>, Set<[String]>) {
        let before = old.map { FieldPaths.of($0, scope: scope) } ?? []
        let after = FieldPaths.of(new, scope: scope)
        let changed = after.filter {
            !before.contains($0) || FieldPaths.value(at: $0, in: old ?? .null) != FieldPaths.value(at: $0, in: new)
        }
        return (changed, before.subtracting(after))
    }

    func pod(_ spec: JSONValue, labels: JSONValue = ["app": "web"], status: JSONValue? = nil) -> JSONValue {
        var object: JSONValue = ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "p", "labels": labels], "spec": spec]
        if let status { object["status"] = status }
        return object
    }

    @Test func theOneWalkFindsTheSamePathsAsTheFullSets() throws {
        let container: JSONValue = ["name": "web", "image": "nginx:1", "ports": [["containerPort": 80, "protocol": "TCP"]]]
        let pairs: [(JSONValue?, JSONValue)] = [
            (nil, pod(["containers": [container]])),
            (pod(["containers": [container]]), pod(["containers": [container]])),
            // a scalar inside a map-list item, an item added, an item removed
            (pod(["containers": [container]]), pod(["containers": [container.merging(["image": "nginx:2"])]])),
            (pod(["containers": [container]]), pod(["containers": [container, ["name": "side", "image": "busybox"]]])),
            (pod(["containers": [container, ["name": "side", "image": "busybox"]]]), pod(["containers": [container]])),
            // a set list, an atomic list, kinds that differ at one path
            (pod(["containers": [container]], labels: ["a": "1"]), pod(["containers": [container]], labels: ["a": "2", "b": "3"])),
            (pod(["containers": [container], "nodeSelector": ["x": "y"]]), pod(["containers": [container], "nodeSelector": "y"])),
            (pod(["containers": [container], "hostAliases": []]), pod(["containers": [container], "hostAliases": [["ip": "1.2.3.4"]]])),
            (
                pod(["containers": [container]], status: ["phase": "Pending"]),
                pod(["containers": [container]], status: ["phase": "Running"])
            ),
            (pod(["containers": [container], "extra": ["a": ["b": 1]]]), pod(["containers": [container], "extra": [:]])),
        ]
        for subresource in [Subresource.main, .status] {
            let scope = FieldPaths.Scope(info: fixture.pods, subresource: subresource)
            for (old, new) in pairs {
                let (changed, removed) = FieldPaths.changes(old: old, new: new, scope: scope)
                let (expectedChanged, expectedRemoved) = reference(old: old, new: new, scope: scope)
                #expect(changed == expectedChanged, "changed paths of \(String(describing: old)) -> \(new)")
                #expect(removed == expectedRemoved, "removed paths of \(String(describing: old)) -> \(new)")
            }
        }
        let configMap: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "c"], "data": ["a": "1", "b": "2"]]
        var edited = configMap
        edited["data"] = ["a": "1", "c": "3"]
        let scope = FieldPaths.Scope(info: fixture.configMaps, subresource: .main)
        let (changed, removed) = FieldPaths.changes(old: configMap, new: edited, scope: scope)
        #expect(changed == [["f:data", "f:c"]])
        #expect(removed == [["f:data", "f:b"]])
    }

    @Test("a create's FieldsV1, built in one walk, is the encoding of the object's path set")
    func creationFieldsAreTheEncodedPathSet() throws {
        let container: JSONValue = [
            "name": "web", "image": "nginx:1", "ports": [["containerPort": 80, "protocol": "TCP"], ["containerPort": 443]],
            "args": ["a", "b"], "env": [], "resources": [:],
        ]
        let objects: [JSONValue] = [
            pod(["containers": [container]]),
            pod(["containers": [container, ["name": "side", "image": "busybox"]]], status: ["phase": "Running"]),
            // the same map-list key twice: the union of both items' fields
            pod(["containers": [container, ["name": "web", "command": ["sh"]]]]),
            pod(["containers": [container], "hostAliases": [["ip": "1.2.3.4", "hostnames": ["x"]]], "extra": ["a": ["b": 1]]]),
            pod(["containers": [container], "nodeSelector": [:], "tolerations": ["not an object", ["key": "k"]]], labels: [:]),
            {
                var object = pod(["containers": [container]])
                object["metadata"] = [
                    "name": "p", "labels": ["a": "1"], "annotations": ["n": "v"], "finalizers": ["x/y", "x/z", "x/y"],
                    "ownerReferences": [["apiVersion": "v1", "kind": "Node", "name": "n", "uid": "u1", "controller": true]],
                    "resourceVersion": "5", "uid": "u", "managedFields": [["manager": "m"]],
                ]
                return object
            }(),
            ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "bare"]],
            ["apiVersion": "v1", "kind": "Pod"],
        ]
        for subresource in [Subresource.main, .status] {
            let scope = FieldPaths.Scope(info: fixture.pods, subresource: subresource)
            for object in objects {
                let expected = FieldPaths.encode(FieldPaths.of(object, scope: scope))
                #expect(FieldPaths.fields(of: object, scope: scope) == expected, "\(object)")
            }
        }
        let configMap: JSONValue = [
            "apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "c", "labels": ["l": "1"]], "data": ["a": "1"],
        ]
        let scope = FieldPaths.Scope(info: fixture.configMaps, subresource: .main)
        #expect(FieldPaths.fields(of: configMap, scope: scope) == FieldPaths.encode(FieldPaths.of(configMap, scope: scope)))
        // Through the store: the creator's one entry owns exactly those paths.
        let created = try fixture.store.create(
            fixture.configMaps, namespace: "default", object: configMap, options: WriteOptions(fieldManager: "creator"))
        let entries = ManagedFields.entries(of: created)
        #expect(entries.map(\.manager) == ["creator"])
        #expect(entries.first?.operation == .update)
        #expect(entries.first?.fields == [["f:metadata", "f:labels", "f:l"], ["f:data", "f:a"]])
    }

    @Test func anUpdateTakesOnlyWhatItChangesAndKeepsOtherEntriesAsTheyWere() throws {
        let created = try fixture.store.create(
            fixture.configMaps, namespace: "default",
            object: ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "c", "labels": ["team": "a"]], "data": ["x": "1"]],
            options: WriteOptions(fieldManager: "creator"))
        var edited = created
        edited["data"] = ["x": "1", "y": "2"]
        let updated = try fixture.store.replace(
            fixture.configMaps, namespace: "default", name: "c", object: edited, options: WriteOptions(fieldManager: "editor"))
        let entries = ManagedFields.entries(of: updated)
        #expect(entries.map(\.manager) == ["creator", "editor"])
        #expect(entries[0].fields == [["f:metadata", "f:labels", "f:team"], ["f:data", "f:x"]])
        #expect(entries[1].fields == [["f:data", "f:y"]])
        // The creator's entry is the stored JSON as it was, not a re-encoding with a new time.
        #expect(updated[path: "metadata", "managedFields"]?[0] == created[path: "metadata", "managedFields"]?[0])

        // The editor changes its own field again: its entry keeps its fields, restamped.
        var again = updated
        again["data"] = ["x": "1", "y": "3"]
        let second = try fixture.store.replace(
            fixture.configMaps, namespace: "default", name: "c", object: again, options: WriteOptions(fieldManager: "editor"))
        #expect(ManagedFields.entries(of: second).map(\.fields) == entries.map(\.fields))

        // The editor changes the creator's field: it moves; removing the label empties nothing else.
        var taking = second
        taking["data"] = ["x": "9", "y": "3"]
        taking[path: "metadata", "labels"] = nil
        let third = try fixture.store.replace(
            fixture.configMaps, namespace: "default", name: "c", object: taking, options: WriteOptions(fieldManager: "editor"))
        let thirdEntries = ManagedFields.entries(of: third)
        #expect(thirdEntries.map(\.manager) == ["editor"], "the creator owns nothing any more, so its entry goes")
        #expect(thirdEntries.first?.fields == [["f:data", "f:x"], ["f:data", "f:y"]])
    }
}

extension JSONValue {
    fileprivate func merging(_ members: [String: JSONValue]) -> JSONValue {
        var copy = self
        for (key, value) in members { copy[key] = value }
        return copy
    }
}
