import RoperatorClient
import Testing

@Suite struct OwnerReferenceTests {
    static func parent(uid: String = "uid-1", name: String = "p") -> KubeObject {
        var parent = KubeObject(
            type: K8sType(group: "example.com", version: "v1", kind: "Echo", plural: "echoes", namespaced: true), namespace: "ns",
            name: name)
        parent.uid = uid
        return parent
    }

    @Test func controllerReferenceFromOwner() throws {
        let reference = try OwnerReference(controllerOf: Self.parent())
        #expect(
            reference
                == OwnerReference(
                    apiVersion: "example.com/v1", kind: "Echo", name: "p", uid: "uid-1", controller: true, blockOwnerDeletion: true))
        #expect(
            reference.json == [
                "apiVersion": "example.com/v1", "kind": "Echo", "name": "p", "uid": "uid-1", "controller": true, "blockOwnerDeletion": true,
            ])
        #expect(try OwnerReference(json: reference.json) == reference)
    }

    @Test func ownerWithoutUIDIsRejected() {
        var parent = Self.parent()
        parent.uid = nil
        let error = #expect(throws: KubeObjectError.self) { try OwnerReference(controllerOf: parent) }
        #expect(error?.field == "metadata.uid")
    }

    @Test func optionalFlagsAreOmitted() throws {
        let reference = OwnerReference(apiVersion: "v1", kind: "ConfigMap", name: "c", uid: "u")
        #expect(reference.json == ["apiVersion": "v1", "kind": "ConfigMap", "name": "c", "uid": "u"])
        #expect(!reference.isController)
    }

    @Test func malformedJSONNamesTheField() {
        let error = #expect(throws: KubeObjectError.self) {
            try OwnerReference(json: ["apiVersion": "v1", "kind": "X", "name": "n"])
        }
        #expect(error?.reason.contains(#""uid""#) == true)
        let badFlag = #expect(throws: KubeObjectError.self) {
            try OwnerReference(json: ["apiVersion": "v1", "kind": "X", "name": "n", "uid": "u", "controller": "yes"])
        }
        #expect(badFlag?.reason.contains(#""controller""#) == true)
    }

    @Test func kubeObjectAccessors() throws {
        var child = KubeObject(type: .configMap, namespace: "ns", name: "c")
        #expect(child.ownerReferences.isEmpty)
        #expect(child.controllerReference == nil)

        let other = OwnerReference(apiVersion: "v1", kind: "Secret", name: "s", uid: "uid-2")
        child.setOwnerReference(other)
        try child.setControllerReference(OwnerReference(controllerOf: Self.parent()))
        #expect(child.ownerReferences.count == 2)
        #expect(child.controllerReference?.uid == "uid-1")
        #expect(child.isOwned(by: "uid-1"))
        #expect(child.isOwned(by: "uid-2"))
        #expect(!child.isOwned(by: "uid-3"))
        #expect(child.isControlled(by: "uid-1"))
        #expect(!child.isControlled(by: "uid-2"))
        #expect(child.json[path: "metadata", "ownerReferences"]?.arrayValue?.count == 2)

        // Setting the same owner again replaces instead of duplicating.
        try child.setControllerReference(OwnerReference(controllerOf: Self.parent(name: "renamed")))
        #expect(child.ownerReferences.count == 2)
        #expect(child.controllerReference?.name == "renamed")

        // A second controller is refused.
        let error = #expect(throws: KubeObjectError.self) {
            try child.setControllerReference(OwnerReference(controllerOf: Self.parent(uid: "uid-9")))
        }
        #expect(error?.description.contains("already controlled by Echo/renamed (uid-1)") == true)

        let changed1 = child.removeOwnerReference(uid: "uid-1")
        #expect(changed1)
        let changed2 = child.removeOwnerReference(uid: "uid-1")
        #expect(!changed2)
        #expect(child.controllerReference == nil)
        let changed3 = child.removeOwnerReference(uid: "uid-2")
        #expect(changed3)
        #expect(child.json[path: "metadata", "ownerReferences"] == nil)
    }

    @Test func strictReadingReportsTheEntry() throws {
        var child = KubeObject(type: .configMap, namespace: "ns", name: "c")
        child.json[path: "metadata", "ownerReferences"] = [
            ["apiVersion": "v1", "kind": "X", "name": "a", "uid": "1"],
            ["apiVersion": "v1", "kind": "X", "name": "b"],
        ]
        #expect(child.ownerReferences.map(\.uid) == ["1"])
        let error = #expect(throws: KubeObjectError.self) { try child.ownerReferencesStrict() }
        #expect(error?.field == "metadata.ownerReferences[1]")
    }
}
