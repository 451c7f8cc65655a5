import Testing
@testable import Roperator

@Suite struct ChildDiffTests {
    let desired: JSONValue = [
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": ["name": "web", "namespace": "ns", "labels": ["app": "web"]],
        "spec": ["replicas": 2, "template": ["spec": ["containers": [["name": "c", "image": "nginx:1"]]]]],
    ]

    /// What the server returns: defaults, server metadata, extra labels and annotations.
    var observed: JSONValue {
        var o = desired
        o[path: "metadata", "uid"] = "u-1"
        o[path: "metadata", "resourceVersion"] = "42"
        o[path: "metadata", "generation"] = 3
        o[path: "metadata", "creationTimestamp"] = "2024-01-01T00:00:00Z"
        o[path: "metadata", "managedFields"] = [["manager": "kubectl"]]
        o[path: "metadata", "labels", "pod-template-hash"] = "abc"
        o[path: "metadata", "annotations"] = ["deployment.kubernetes.io/revision": "1"]
        o[path: "spec", "progressDeadlineSeconds"] = 600
        o[path: "spec", "template", "spec", "containers"] = [
            ["name": "c", "image": "nginx:1", "imagePullPolicy": "IfNotPresent", "terminationMessagePath": "/dev/termination-log"]
        ]
        o["status"] = ["readyReplicas": 2]
        return o
    }

    @Test("quantities in built-in resource lists compare by amount, as the server stores them canonically")
    func quantitiesCompareByAmount() {
        var wanted = desired
        wanted[path: "spec", "template", "spec", "containers"] = [
            [
                "name": "c", "image": "nginx:1",
                "resources": ["requests": ["cpu": "0.5", "memory": "1024Mi"], "limits": ["cpu": 1]],
            ]
        ]
        var stored = wanted
        stored[path: "spec", "template", "spec", "containers"] = [
            [
                "name": "c", "image": "nginx:1",
                "resources": ["requests": ["cpu": "500m", "memory": "1Gi"], "limits": ["cpu": "1"]],
            ]
        ]
        #expect(ChildDiff.compare(desired: wanted, observed: stored) == .unchanged)
        stored[path: "spec", "template", "spec", "containers"] = [
            [
                "name": "c", "image": "nginx:1",
                "resources": ["requests": ["cpu": "600m", "memory": "1Gi"], "limits": ["cpu": "1"]],
            ]
        ]
        #expect(
            ChildDiff.compare(desired: wanted, observed: stored)
                == .changed(["spec.template.spec.containers[0].resources.requests.cpu"]))

        // Elsewhere, and in custom resources, strings stay strings.
        let config: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "data": ["size": "0.5"]]
        #expect(
            ChildDiff.compare(desired: config, observed: ["apiVersion": "v1", "kind": "ConfigMap", "data": ["size": "500m"]])
                == .changed(["data.size"]))
        let custom: JSONValue = ["apiVersion": "example.com/v1", "kind": "Box", "spec": ["limits": ["cpu": "0.5"]]]
        #expect(
            ChildDiff.compare(
                desired: custom, observed: ["apiVersion": "example.com/v1", "kind": "Box", "spec": ["limits": ["cpu": "500m"]]])
                == .changed(["spec.limits.cpu"]))
        #expect(ChildDiff.isBuiltIn(apiVersion: "networking.k8s.io/v1"))
        #expect(ChildDiff.isBuiltIn(apiVersion: "batch/v1"))
        #expect(!ChildDiff.isBuiltIn(apiVersion: "example.com/v1"))
    }

    @Test func serverDefaultsAndMetadataDoNotCount() {
        #expect(ChildDiff.compare(desired: desired, observed: observed) == .unchanged)
    }

    @Test func changedFieldsAreReportedByPath() {
        var want = desired
        want[path: "spec", "replicas"] = 3
        want[path: "spec", "template", "spec", "containers"] = [["name": "c", "image": "nginx:2"]]
        want[path: "metadata", "labels", "tier"] = "front"
        #expect(
            ChildDiff.compare(desired: want, observed: observed)
                == .changed(["metadata.labels.tier", "spec.replicas", "spec.template.spec.containers[0].image"]))
    }

    @Test("differences come in the order of the keys at every level, however the dictionaries iterate")
    func differencesAreInKeyOrder() {
        let want: JSONValue = [
            "spec": ["b": 1, "a": ["z": 1, "y": 2], "c": [1, 2], "same": "s"],
            "data": ["k2": "x", "k1": "y", "k10": "z", "k3": "same"],
            "metadata": ["labels": ["b": "1", "a": "2"], "name": "n"],
        ]
        let have: JSONValue = [
            "spec": ["b": 2, "a": ["z": 2, "y": 3], "c": [1, 3], "same": "s"],
            "data": ["k2": "-", "k1": "-", "k10": "-", "k3": "same"],
            "metadata": ["labels": ["b": "-", "a": "-"], "name": "n"],
        ]
        #expect(
            ChildDiff.compare(desired: want, observed: have)
                == .changed([
                    "data.k1", "data.k10", "data.k2", "metadata.labels.a", "metadata.labels.b", "spec.a.y", "spec.a.z",
                    "spec.b", "spec.c[1]",
                ]))
    }

    @Test func arrayLengthMatters() {
        var want = desired
        want[path: "spec", "template", "spec", "containers"] = [["name": "c", "image": "nginx:1"], ["name": "d"]]
        #expect(ChildDiff.compare(desired: want, observed: observed) == .changed(["spec.template.spec.containers"]))
    }

    @Test func serverOwnedFieldsInDesiredAreIgnored() {
        var want = desired
        want[path: "metadata", "resourceVersion"] = "1"
        want[path: "metadata", "uid"] = "other"
        want["status"] = ["readyReplicas": 0]
        #expect(ChildDiff.compare(desired: want, observed: observed) == .unchanged)
    }

    @Test func emptyValuesMatchAbsentFields() {
        var want = desired
        want["data"] = .emptyObject
        want[path: "spec", "strategy"] = .null
        want[path: "spec", "volumes"] = []
        #expect(ChildDiff.compare(desired: want, observed: observed) == .unchanged)
        want["data"] = ["k": "v"]
        #expect(ChildDiff.compare(desired: want, observed: observed) == .changed(["data"]))
    }

    @Test func numbersCompareByValue() {
        var want = desired
        want[path: "spec", "replicas"] = .double(2.0)
        #expect(ChildDiff.compare(desired: want, observed: observed) == .unchanged)
        want[path: "spec", "replicas"] = "2"
        #expect(ChildDiff.compare(desired: want, observed: observed) == .changed(["spec.replicas"]))
        var big = desired
        big[path: "spec", "replicas"] = .int(Int64.max)
        var bigObserved = observed
        bigObserved[path: "spec", "replicas"] = .int(Int64.max - 1)
        #expect(ChildDiff.compare(desired: big, observed: bigObserved) == .changed(["spec.replicas"]))
    }

    @Test func ownerReferencesAndFinalizersAreSets() {
        let ours: JSONValue = ["apiVersion": "example.com/v1", "kind": "Echo", "name": "p", "uid": "p-1", "controller": true]
        var want = desired
        want[path: "metadata", "ownerReferences"] = [ours]
        want[path: "metadata", "finalizers"] = ["a/b"]
        var have = observed
        have[path: "metadata", "ownerReferences"] = [["kind": "Other", "uid": "x"], ours]
        have[path: "metadata", "finalizers"] = ["z/z", "a/b"]
        #expect(ChildDiff.compare(desired: want, observed: have) == .unchanged)
        have[path: "metadata", "ownerReferences"] = [["kind": "Other", "uid": "x"]]
        have[path: "metadata", "finalizers"] = ["z/z"]
        #expect(
            ChildDiff.compare(desired: want, observed: have)
                == .changed(["metadata.finalizers", "metadata.ownerReferences"]))
    }

    @Test func typeChangeIsADifference() {
        var want = desired
        want["spec"] = "not an object"
        #expect(ChildDiff.compare(desired: want, observed: observed) == .changed(["spec"]))
    }
}

@Suite struct ChildValidationTests {
    let parentType = K8sType(group: "example.com", version: "v1", kind: "Echo")
    let clusterParentType = K8sType(group: "example.com", version: "v1", kind: "Tenant", namespaced: false)

    var parent: KubeObject {
        var p = KubeObject(type: parentType, namespace: "ns", name: "p")
        p.uid = "p-1"
        return p
    }

    var config: OperatorConfig {
        OperatorConfig(name: "Echo Operator", parent: parentType)
            .withChild(.configMap, .replace)
            .withChild(.clusterRole, .replace)
    }

    func code(_ child: KubeObject, parent: KubeObject? = nil, config: OperatorConfig? = nil) -> InvalidChildError.Code? {
        do {
            _ = try ChildValidation.prepare(child, parent: parent ?? self.parent, config: config ?? self.config)
            return nil
        } catch {
            return error.code
        }
    }

    @Test func malformedOwnerReferenceIsRefusedNotDropped() {
        var child = KubeObject(type: .configMap, name: "settings")
        child.json[path: "metadata", "ownerReferences"] = [["kind": "Other", "uid": "o-1", "controller": true]]
        #expect(code(child) == .invalidOwnerReference)
    }

    @Test func injectsLabelsOwnerAndNamespace() throws {
        var child = KubeObject(type: .configMap, name: "settings")
        child.labels = ["app": "web", TrackingLabels.parentUID: "forged"]
        child.json[path: "metadata", "ownerReferences"] = [
            ["apiVersion": "v1", "kind": "Other", "name": "o", "uid": "o-1", "controller": true]
        ]
        let prepared = try ChildValidation.prepare(child, parent: parent, config: config)
        #expect(prepared.type == .configMap)
        #expect(prepared.object.namespace == "ns")
        #expect(
            prepared.object.labels == [
                "app": "web", TrackingLabels.parentUID: "p-1", TrackingLabels.operatorName: "echo-operator",
            ])
        let references = try #require(prepared.object.json[path: "metadata", "ownerReferences"]?.arrayValue)
        #expect(references.count == 2)
        #expect(references[0]["controller"] == false)
        #expect(
            references[1] == [
                "apiVersion": "example.com/v1", "kind": "Echo", "name": "p", "uid": "p-1",
                "controller": true, "blockOwnerDeletion": true,
            ])
        #expect(ChildOwnership.of(prepared.object, parentUID: "p-1") == .ours)
        // Preparing twice is stable (no duplicate owner references).
        let again = try ChildValidation.prepare(prepared.object, parent: parent, config: config)
        #expect(again == prepared)
    }

    @Test func rejectsIncompleteChildren() {
        var noVersion = KubeObject(type: .configMap, name: "x")
        noVersion.apiVersion = nil
        #expect(code(noVersion) == .missingAPIVersion)
        var noKind = KubeObject(type: .configMap, name: "x")
        noKind.kind = ""
        #expect(code(noKind) == .missingKind)
        var noName = KubeObject(type: .configMap, name: "x")
        noName.name = nil
        noName.generateName = "x-"
        #expect(code(noName) == .missingName)
        #expect(code(KubeObject(type: .secret, name: "x")) == .typeNotConfigured)
    }

    @Test func namespaceRules() {
        #expect(code(KubeObject(type: .configMap, namespace: "other", name: "x")) == .namespaceMismatch)
        #expect(code(KubeObject(type: .configMap, namespace: "ns", name: "x")) == nil)
        #expect(code(KubeObject(type: .clusterRole, name: "x")) == .clusterScopedChildOfNamespacedParent)

        var clusterParent = KubeObject(type: clusterParentType, name: "t")
        clusterParent.uid = "t-1"
        let clusterConfig = OperatorConfig(name: "tenants", parent: clusterParentType)
            .withChild(.configMap).withChild(.clusterRole).withChild(.namespace)
        #expect(code(KubeObject(type: .configMap, name: "x"), parent: clusterParent, config: clusterConfig) == .namespaceRequired)
        #expect(code(KubeObject(type: .configMap, namespace: "a", name: "x"), parent: clusterParent, config: clusterConfig) == nil)
        #expect(code(KubeObject(type: .clusterRole, name: "x"), parent: clusterParent, config: clusterConfig) == nil)
        #expect(
            code(KubeObject(type: .namespace, namespace: "a", name: "x"), parent: clusterParent, config: clusterConfig)
                == .namespaceMismatch)
    }

    @Test func validChildrenSurviveInvalidOnesAndDuplicates() {
        let children = [
            KubeObject(type: .configMap, name: "a"),
            KubeObject(type: .secret, name: "b"),
            KubeObject(type: .configMap, namespace: "ns", name: "a"),
            KubeObject(type: .configMap, name: "c"),
        ]
        let (valid, invalid) = ChildValidation.prepare(children, parent: parent, config: config)
        #expect(valid.map(\.object.name) == ["a", "c"])
        #expect(invalid.map(\.code) == [.typeNotConfigured, .duplicate])
        #expect(invalid[0].description.contains("Secret"))
    }

    @Test func ownershipClassification() {
        var object = KubeObject(type: .configMap, namespace: "ns", name: "x")
        #expect(ChildOwnership.of(object, parentUID: "p-1") == .unowned)
        object.json[path: "metadata", "ownerReferences"] = [
            ["apiVersion": "example.com/v1", "kind": "Echo", "name": "q", "uid": "q-1", "controller": true]
        ]
        let owner = OwnerReference(apiVersion: "example.com/v1", kind: "Echo", name: "q", uid: "q-1", controller: true)
        #expect(ChildOwnership.of(object, parentUID: "p-1") == .controlledBy(owner))
        #expect(ChildOwnership.of(object, parentUID: "q-1") == .ours)
        #expect(ChildOwnership.of(object, parentUID: "p-1").refusal(toWrite: object)?.code == .ownedByAnotherController)
        #expect(ChildOwnership.unowned.refusal(toWrite: object)?.code == .existsWithoutOwner)
        #expect(ChildOwnership.ours.refusal(toWrite: object) == nil)
    }
}
