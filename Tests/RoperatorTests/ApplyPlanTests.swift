import Testing
@testable import Roperator

@Suite struct ApplyPlanTests {
    let parentType = K8sType(group: "example.com", version: "v1", kind: "Echo")

    var parent: KubeObject {
        var p = KubeObject(type: parentType, namespace: "ns", name: "p")
        p.uid = "p-1"
        return p
    }

    func config(_ strategy: ChildConfig = .replace) -> OperatorConfig {
        OperatorConfig(name: "echo", parent: parentType).withChild(.configMap, strategy)
    }

    func desiredMap(_ name: String, data: JSONValue) -> KubeObject {
        var map = KubeObject(type: .configMap, name: name)
        map.json["data"] = data
        return map
    }

    /// What the server would hold after creating `desired`.
    func stored(_ prepared: ChildValidation.Prepared, uid: String) -> KubeObject {
        var object = prepared.object
        object.uid = uid
        object.resourceVersion = "7"
        object.labels["added-by-someone"] = "x"
        return object
    }

    func prepare(_ children: [KubeObject], _ config: OperatorConfig) -> [ChildValidation.Prepared] {
        ChildValidation.prepare(children, parent: parent, config: config).valid
    }

    @Test func createsMissingAndDeletesUndesired() {
        let config = config()
        let existing = prepare([desiredMap("old", data: ["a": "1"])], config)[0]
        let desired = prepare([desiredMap("new", data: ["a": "1"])], config)
        let plan = ApplyPlan.make(
            desired: desired, observed: [.configMap: [stored(existing, uid: "u-old")]], parentUID: "p-1", config: config)
        #expect(
            plan.actions == [
                .create(.configMap, AppliedFields.recording(desired[0].object)),
                .delete(.configMap, namespace: "ns", name: "old", uid: "u-old"),
            ])
    }

    @Test func nothingToDoWhenConverged() {
        let config = config()
        let desired = prepare([desiredMap("a", data: ["k": "v"])], config)
        let plan = ApplyPlan.make(
            desired: desired, observed: [.configMap: [stored(desired[0], uid: "u")]], parentUID: "p-1", config: config)
        #expect(plan == ApplyPlan())
    }

    @Test(arguments: [UpdateStrategy.replace, .serverSideApply, .recreate, .onDelete])
    func changedChildFollowsStrategy(strategy: UpdateStrategy) throws {
        let config = config(ChildConfig(updateStrategy: strategy))
        let old = prepare([desiredMap("a", data: ["k": "v"])], config)[0]
        let desired = prepare([desiredMap("a", data: ["k": "w"])], config)
        let plan = ApplyPlan.make(
            desired: desired, observed: [.configMap: [stored(old, uid: "u")]], parentUID: "p-1", config: config)
        switch strategy {
        case .replace:
            guard case .replace(_, let body, let changed) = try #require(plan.actions.first) else {
                Issue.record("expected replace, got \(plan.actions)")
                return
            }
            #expect(changed == ["data.k"])
            #expect(body.json["data"] == ["k": "w"])
            #expect(body.resourceVersion == "7")
            #expect(body.labels["added-by-someone"] == "x")
            #expect(body.labels[TrackingLabels.parentUID] == "p-1")
        case .serverSideApply:
            #expect(plan.actions == [.apply(.configMap, AppliedFields.recording(desired[0].object), changed: ["data.k"])])
        case .recreate:
            #expect(plan.actions == [.recreate(.configMap, namespace: "ns", name: "a", uid: "u", changed: ["data.k"])])
        case .onDelete:
            #expect(plan.actions.isEmpty)
        }
    }

    @Test func refusesForeignObjectsAndNeverDeletesThem() {
        let config = config()
        let desired = prepare([desiredMap("taken", data: [:]), desiredMap("manual", data: [:])], config)
        var taken = KubeObject(type: .configMap, namespace: "ns", name: "taken")
        taken.uid = "t"
        taken.json[path: "metadata", "ownerReferences"] = [
            ["apiVersion": "example.com/v1", "kind": "Echo", "name": "q", "uid": "q-1", "controller": true]
        ]
        var manual = KubeObject(type: .configMap, namespace: "ns", name: "manual")
        manual.uid = "m"
        var unrelated = KubeObject(type: .configMap, namespace: "ns", name: "unrelated")
        unrelated.uid = "x"
        let plan = ApplyPlan.make(
            desired: desired, observed: [.configMap: [taken, manual, unrelated]], parentUID: "p-1", config: config)
        #expect(plan.actions.isEmpty)
        #expect(plan.refused.map(\.code) == [.ownedByAnotherController, .existsWithoutOwner])
    }

    @Test func waitsForDeletionToFinish() {
        let config = config(.recreate)
        let desired = prepare([desiredMap("a", data: ["k": "v"])], config)
        var deleting = stored(desired[0], uid: "u")
        deleting.deletionTimestamp = "2024-01-01T00:00:00Z"
        let plan = ApplyPlan.make(desired: desired, observed: [.configMap: [deleting]], parentUID: "p-1", config: config)
        #expect(plan.actions.isEmpty)
        #expect(plan.waiting == ["ConfigMap ns/a"])
    }

    @Test func replaceBodyMergesOwnerReferencesAndDropsStatus() {
        var observed = KubeObject(type: .configMap, namespace: "ns", name: "a")
        observed.json[path: "metadata", "ownerReferences"] = [["uid": "other", "kind": "X"]]
        observed.json[path: "metadata", "finalizers"] = ["keep/me"]
        observed.status = ["phase": "x"]
        observed.json["data"] = ["server": "default", "k": "old"]
        var desired = KubeObject(type: .configMap, namespace: "ns", name: "a")
        desired.json[path: "metadata", "ownerReferences"] = [["uid": "p-1", "kind": "Echo", "controller": true]]
        desired.json["data"] = ["k": "new"]
        let body = ApplyPlan.replaceBody(desired: desired, observed: observed)
        #expect(
            body.json[path: "metadata", "ownerReferences"] == [
                ["uid": "other", "kind": "X"], ["uid": "p-1", "kind": "Echo", "controller": true],
            ])
        #expect(body.finalizers == ["keep/me"])
        #expect(body.status == nil)
        #expect(body.json["data"] == ["server": "default", "k": "new"])
        #expect(ChildDiff.compare(desired: desired.json, observed: body.json) == .unchanged)
    }

    /// What the server holds after the operator wrote `prepared` with its record.
    func written(_ prepared: ChildValidation.Prepared, uid: String) -> KubeObject {
        var object = AppliedFields.recording(prepared.object)
        object.uid = uid
        object.resourceVersion = "7"
        object.labels["added-by-someone"] = "x"
        return object
    }

    @Test(arguments: [UpdateStrategy.replace, .serverSideApply])
    func fieldTheHandlerStoppedSettingIsRemoved(strategy: UpdateStrategy) throws {
        let config = config(ChildConfig(updateStrategy: strategy))
        var before = desiredMap("a", data: ["k": "v", "gone": "x"])
        before.labels["tier"] = "web"
        let old = prepare([before], config)[0]
        let desired = prepare([desiredMap("a", data: ["k": "v"])], config)
        let plan = ApplyPlan.make(
            desired: desired, observed: [.configMap: [written(old, uid: "u")]], parentUID: "p-1", config: config)
        let action = try #require(plan.actions.first)
        switch action {
        case .replace(_, let body, let changed):
            #expect(changed == ["-data.gone", "-metadata.labels.tier"])
            #expect(body.json["data"] == ["k": "v"])
            #expect(body.labels["tier"] == nil)
            #expect(body.labels["added-by-someone"] == "x")
            #expect(try AppliedFields.recorded(on: body) == AppliedFields.shape(of: desired[0].object.json))
        case .apply(_, let body, let changed):
            #expect(changed == ["-data.gone", "-metadata.labels.tier"])
            #expect(body.json["data"] == ["k": "v"])
        default:
            Issue.record("expected a write, got \(action)")
        }
        // Once written, the same desired object plans nothing.
        let again = ApplyPlan.make(
            desired: desired, observed: [.configMap: [written(desired[0], uid: "u")]], parentUID: "p-1", config: config)
        #expect(again == ApplyPlan())
    }

    @Test func serverDefaultsAndOthersFieldsAreNotRemoved() {
        let config = config()
        let desired = prepare([desiredMap("a", data: ["k": "v"])], config)
        var observed = written(desired[0], uid: "u")
        observed.json[path: "data", "added-by-server"] = "1"
        observed.json["immutable"] = false
        let plan = ApplyPlan.make(desired: desired, observed: [.configMap: [observed]], parentUID: "p-1", config: config)
        #expect(plan == ApplyPlan())
    }

    @Test func expectationsHoldBackWritesTheCacheHasNotShown() {
        let config = config()
        let now = SchedulingClock.Instant(offset: .zero)
        let desired = prepare([desiredMap("new", data: ["a": "1"])], config)
        let stale = written(prepare([desiredMap("old", data: ["a": "1"])], config)[0], uid: "u-old")
        var expectations = ChildExpectations()
        expectations.expect(.creation, for: ObjectIdentity(type: .configMap, key: ObjectKey(namespace: "ns", name: "new")), now: now)
        expectations.expect(
            .deletion(uid: "u-old"), for: ObjectIdentity(type: .configMap, key: ObjectKey(namespace: "ns", name: "old")), now: now)
        let plan = ApplyPlan.make(
            desired: desired, observed: [.configMap: [stale]], parentUID: "p-1", config: config, expectations: expectations)
        #expect(plan.actions.isEmpty)
        #expect(plan.awaitingCache.count == 2)

        // The cache caught up with the create, not with the delete.
        var settled = expectations
        let created = written(desired[0], uid: "u-new")
        settled.settle(now: now) { identity in identity.key.name == "new" ? created : stale }
        #expect(settled[ObjectIdentity(type: .configMap, key: ObjectKey(namespace: "ns", name: "new"))] == nil)
        #expect(settled[ObjectIdentity(type: .configMap, key: ObjectKey(namespace: "ns", name: "old"))] == .deletion(uid: "u-old"))
        // Past their lifetime, expectations are dropped even if the cache never shows the write.
        settled.settle(now: now.advanced(by: ChildExpectations.lifetime)) { _ in stale }
        #expect(settled.isEmpty)
    }

    /// A list is what the server has now: after one, an expectation no longer holds a write back,
    /// also when the list shows the object the write removed (a server restored from an older
    /// backup lost the delete, so the child must be deleted again).
    @Test func aRelistEndsTheExpectationsOfEarlierWrites() {
        let now = SchedulingClock.Instant(offset: .zero)
        let old = ObjectIdentity(type: .configMap, key: ObjectKey(namespace: "ns", name: "old"))
        let new = ObjectIdentity(type: .configMap, key: ObjectKey(namespace: "ns", name: "new"))
        let before = CacheGeneration(removals: 3, lists: 1)
        var expectations = ChildExpectations()
        expectations.expect(.deletion(uid: "u-old"), for: old, now: now, cache: before)
        expectations.expect(.creation, for: new, now: now, cache: before)
        let restored = written(prepare([desiredMap("old", data: ["a": "1"])], config())[0], uid: "u-old")

        // Same list: the deleted child still in the cache and the created one not yet in it.
        var held = expectations
        held.settle(now: now, observed: { $0 == old ? restored : nil }, cache: { _ in before })
        #expect(held.count == 2)

        // After a relist that still shows the deleted child and not the created one.
        var relisted = expectations
        relisted.settle(now: now, observed: { $0 == old ? restored : nil }, cache: { _ in CacheGeneration(removals: 3, lists: 2) })
        #expect(relisted.isEmpty)
    }

    @Test func appliedFieldsRecordsNamesNotValues() throws {
        let config = config()
        var child = desiredMap("a", data: ["k": "a long value that is not recorded"])
        child.labels["tier"] = "web"
        let prepared = prepare([child], config)[0]
        let shape = AppliedFields.shape(of: prepared.object.json)
        #expect(shape == ["data": ["k": 1], "metadata": ["labels": ["tier": 1]]])
        let removed = AppliedFields.removed(recorded: shape, desired: ["data": ["k": "x", "extra": "y"]])
        #expect(removed.map(AppliedFields.describe) == ["metadata"])
    }

    /// The record's text is written straight from the desired object; it must be exactly the
    /// serialized shape, or converged children would look changed (and be parsed) on every sync.
    @Test(arguments: [
        ["data": ["k": "v", "a": ["x": 1]]] as JSONValue,
        [
            "apiVersion": "v1", "kind": "ConfigMap", "status": ["s": 1],
            "metadata": [
                "name": "n", "namespace": "ns", "uid": "u", "resourceVersion": "1",
                "labels": [TrackingLabels.parentUID: "p", TrackingLabels.operatorName: "o"],
                "annotations": [AppliedFields.annotation: "{}"],
                "ownerReferences": [["uid": "p"]],
            ],
            "data": [:],
        ],
        [
            "metadata": ["labels": ["tier": "web", TrackingLabels.parentUID: "p"], "annotations": ["a\"b": "1", "é": "2", "z": "3"]],
            "spec": ["containers": [["name": "c", "env": [["name": "A", "value": "1"]]], ["name": "d"]], "empty": []],
        ],
        ["metadata": "not an object", "spec": [1, "two", nil, true, 2.5]],
        ["metadata": ["labels": "not an object", "finalizers": ["f"]]],
        ["metadata": [:]],
        [:],
    ])
    func recordTextIsTheSerializedShape(object: JSONValue) {
        #expect(AppliedFields.recordText(of: object) == AppliedFields.shape(of: object).serialized())
    }
}
