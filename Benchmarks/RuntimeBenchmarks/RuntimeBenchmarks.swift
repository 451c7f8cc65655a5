import Benchmark
import Roperator
import RoperatorClient

/// The runtime's hot paths, each measured alone: the child diff, the Applier's plan, the work
/// queue's state machine, the informer's event handling (cache store and trigger) and the compact
/// encoding the caches keep objects in. See docs/benchmarks.md ("Runtime micro-benchmarks").
let benchmarks: @Sendable () -> Void = {
    let fast = Benchmark.Configuration(
        metrics: [.throughput, .wallClock, .mallocCountTotal],
        timeUnits: .microseconds,
        warmupIterations: 100,
        scalingFactor: .kilo,
        maxDuration: .seconds(2),
        maxIterations: 1_000
    )
    let slow = Benchmark.Configuration(
        metrics: [.throughput, .wallClock, .mallocCountTotal],
        timeUnits: .milliseconds,
        warmupIterations: 3,
        scalingFactor: .one,
        maxDuration: .seconds(3),
        maxIterations: 200
    )
    childDiffBenchmarks(fast)
    applyPlanBenchmarks(fast)
    queueBenchmarks(slow)
    informerBenchmarks(fast)
    compactObjectBenchmarks(fast)
}

/// The children as the API server holds them after the runtime created them: the bodies of the
/// plan's creates (tracking labels, owner reference, applied-fields record) plus what the server
/// adds (``SampleObjects/stored(_:uid:)``).
func observedChildren(_ desired: [ChildValidation.Prepared]) -> [K8sType: [KubeObject]] {
    let plan = ApplyPlan.make(desired: desired, observed: [:], parentUID: SampleObjects.parentUID, config: SampleObjects.config)
    var observed: [K8sType: [KubeObject]] = [:]
    for (index, action) in plan.actions.enumerated() {
        guard case .create(let type, let body) = action else { preconditionFailure("expected creates, got \(action)") }
        observed[type, default: []].append(SampleObjects.stored(body, uid: "child-uid-\(index)"))
    }
    return observed
}

func prepared(_ count: Int, changed: Bool = false) -> [ChildValidation.Prepared] {
    let result = ChildValidation.prepare(
        SampleObjects.desiredChildren(count, changed: changed), parent: SampleObjects.parent(), config: SampleObjects.config)
    precondition(result.invalid.isEmpty && result.valid.count == count, "invalid sample children: \(result.invalid)")
    return result.valid
}

/// The body of the plan's first create of a `type` child.
func createBody(_ plan: ApplyPlan, _ type: K8sType) -> KubeObject? {
    for action in plan.actions {
        if case .create(let created, let body) = action, created == type { return body }
    }
    return nil
}

/// `ChildDiff.compare`: a desired child (the create body of a ConfigMap or Deployment) against the
/// server's copy of it, with server-set metadata, defaulted fields and canonical quantities.
func childDiffBenchmarks(_ configuration: Benchmark.Configuration) {
    let current = prepared(2)
    let changed = prepared(2, changed: true)
    let observed = observedChildren(current)
    let desired = ApplyPlan.make(desired: current, observed: [:], parentUID: SampleObjects.parentUID, config: SampleObjects.config)
    let desiredChanged = ApplyPlan.make(
        desired: changed, observed: [:], parentUID: SampleObjects.parentUID, config: SampleObjects.config)
    for (kind, type) in [("ConfigMap", K8sType.configMap), ("Deployment", .deployment)] {
        guard let stored = observed[type]?.first, let same = createBody(desired, type),
            let different = createBody(desiredChanged, type)
        else { preconditionFailure("no sample \(kind)") }
        let equalResult = ChildDiff.compare(desired: same.json, observed: stored.json)
        let differentResult = ChildDiff.compare(desired: different.json, observed: stored.json)
        precondition(equalResult == .unchanged, "\(kind) should match the server's copy: \(equalResult)")
        precondition(differentResult != .unchanged, "\(kind) should differ from the server's copy")

        Benchmark("child diff \(kind) equal", configuration: configuration) { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(ChildDiff.compare(desired: same.json, observed: stored.json))
            }
        }
        Benchmark("child diff \(kind) different", configuration: configuration) { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(ChildDiff.compare(desired: different.json, observed: stored.json))
            }
        }
    }
}

/// `ApplyPlan.make` for one parent whose children (ConfigMaps and Deployments alternating) are
/// all in the cache: converged (no writes) and all changed (a replace body per child).
func applyPlanBenchmarks(_ configuration: Benchmark.Configuration) {
    for count in [3, 30] {
        let current = prepared(count)
        let changed = prepared(count, changed: true)
        let observed = observedChildren(current)
        let config = SampleObjects.config
        let parentUID = SampleObjects.parentUID
        let converged = ApplyPlan.make(desired: current, observed: observed, parentUID: parentUID, config: config)
        let rewritten = ApplyPlan.make(desired: changed, observed: observed, parentUID: parentUID, config: config)
        precondition(converged.actions.isEmpty, "converged plan should write nothing: \(converged.actions)")
        precondition(rewritten.actions.count == count, "changed plan should replace every child")

        Benchmark("apply plan \(count) children converged", configuration: configuration) { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(ApplyPlan.make(desired: current, observed: observed, parentUID: parentUID, config: config))
            }
        }
        Benchmark("apply plan \(count) children all changed", configuration: configuration) { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(ApplyPlan.make(desired: changed, observed: observed, parentUID: parentUID, config: config))
            }
        }
    }
}

/// `WorkQueueStateMachine`, one iteration = 10,000 keys each added as an event, added again (a
/// de-duplicated no-op while ready), handed out and finished with success.
func queueBenchmarks(_ configuration: Benchmark.Configuration) {
    let keys = (0..<10_000).map { ParentKey(namespace: "ns-\($0 % 50)", name: "parent-\($0)") }
    let now = ContinuousClock.now
    Benchmark("queue 10k keys add, dedup, take, done", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            var queue = WorkQueueStateMachine<ContinuousClock.Instant>(configuration: .init())
            for key in keys { queue.add(key, now: now) }
            for key in keys { queue.add(key, now: now) }
            var done = 0
            while case .run(let key) = queue.next(now: now) {
                queue.finish(key, result: .success(requeueAfter: nil), now: now)
                done += 1
            }
            precondition(done == keys.count, "handed out \(done) of \(keys.count) keys")
            blackHole(queue)
        }
    }
}

/// The informer's event handling: reading a watch line into the cache's form (from the bytes, and
/// the decode-then-compact way it replaced), `ObjectStore.apply` of a watch event for a 1 KB
/// ConfigMap (the store keeps it compact and indexes it; 1,000 other objects cached), and the
/// trigger's decision for a parent change (`EventTrigger.actions(forParent:)`).
func informerBenchmarks(_ configuration: Benchmark.Configuration) {
    let store = ObjectStore()
    for index in 0..<1_000 {
        var map = SampleObjects.configMap(name: "other-\(index)")
        map.uid = "other-uid-\(index)"
        map.resourceVersion = "\(index)"
        _ = store.apply(.added(map))
    }
    let versions: [KubeObject] = (0..<2).map { version in
        var map = SampleObjects.configMap(name: "watched", value: "v\(version)")
        map.uid = "watched-uid"
        map.resourceVersion = "\(5_000 + version)"
        return map
    }
    let fresh: KubeObject = {
        var map = SampleObjects.configMap(name: "arriving")
        map.uid = "arriving-uid"
        map.resourceVersion = "6000"
        return map
    }()

    Benchmark("informer apply added+deleted ConfigMap", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(store.apply(.added(fresh)))
            blackHole(store.apply(.deleted(fresh)))
        }
    }
    _ = store.apply(.added(versions[0]))
    Benchmark("informer apply modified ConfigMap", configuration: configuration) { benchmark in
        var next = 1
        for _ in benchmark.scaledIterations {
            blackHole(store.apply(.modified(versions[next])))
            next ^= 1
        }
    }

    // A watch line of a stored child into the cache's form: read straight from the bytes (what
    // informers do since 2026-12-06), and decoded whole, then written compactly (what they did).
    var stored = SampleObjects.stored(SampleObjects.configMap(name: "watched"), uid: "watched-uid")
    stored.json[path: "metadata", "ownerReferences"] = [
        [
            "apiVersion": .string(SampleObjects.parentType.apiVersion), "kind": "Echo", "name": "echo-1",
            "uid": .string(SampleObjects.parentUID), "controller": true, "blockOwnerDeletion": true,
        ]
    ]
    let line = ArraySlice(#"{"object":"#.utf8 + stored.json.serializedBytes(sortedKeys: false) + #","type":"MODIFIED"}"#.utf8)
    guard case .modified(let scanned) = try! WatchEventReader<CachedObject>.decode(line, type: .configMap),
        scanned.object == CachedObject(stored).object
    else { preconditionFailure("the scan of the watch line is not the stored object") }
    Benchmark("informer watch line -> cached ConfigMap (scan)", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try! WatchEventReader<CachedObject>.decode(line, type: .configMap))
        }
    }
    Benchmark("informer watch line -> cached ConfigMap (decode, then compact)", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            let event = try! JSONValue(parsing: line)
            blackHole(CachedObject(KubeObject(event["object"]!)))
        }
    }

    // Parent changes as the parent informer hands them to the trigger.
    let parents = ObjectStore()
    _ = parents.apply(.added(SampleObjects.parent(generation: 1)))
    let statusOnly = parents.apply(.modified(SampleObjects.parent(generation: 1)))
    let newSpec = parents.apply(.modified(SampleObjects.parent(generation: 2)))
    precondition(statusOnly.count == 1 && newSpec.count == 1)
    let parentKey = ParentKey(namespace: "bench", name: "echo-1")
    precondition(EventTrigger.actions(forParent: statusOnly[0]) == [.enqueue(parentKey)])
    precondition(EventTrigger.actions(forParent: newSpec[0]) == [.syncNow(parentKey)])
    Benchmark("trigger actions(forParent:) same generation", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(EventTrigger.actions(forParent: statusOnly[0]))
        }
    }
    Benchmark("trigger actions(forParent:) new generation", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(EventTrigger.actions(forParent: newSpec[0]))
        }
    }
    let parentVersions = [SampleObjects.parent(generation: 2), SampleObjects.parent(generation: 2)]
    Benchmark("informer parent event: apply + trigger", configuration: configuration) { benchmark in
        var next = 0
        for _ in benchmark.scaledIterations {
            for change in parents.apply(.modified(parentVersions[next])) {
                blackHole(EventTrigger.actions(forParent: change))
            }
            next ^= 1
        }
    }
}

/// `CompactObject`: encoding a 1 KB ConfigMap (dropping managedFields, as the caches do) and
/// decoding it back to a `KubeObject`.
func compactObjectBenchmarks(_ configuration: Benchmark.Configuration) {
    var map = SampleObjects.configMap(name: "compact")
    map.uid = "compact-uid"
    map.resourceVersion = "42"
    let compact = CompactObject(map, droppingManagedFields: true)
    precondition(compact.object == map)
    print("Runtime benchmark ConfigMap: \(compact.byteCount) bytes as compact JSON")

    Benchmark("CompactObject encode 1KB ConfigMap", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(CompactObject(map, droppingManagedFields: true))
        }
    }
    Benchmark("CompactObject decode 1KB ConfigMap", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(compact.object)
        }
    }
}
