@testable import Roperator
import RoperatorClient
import RoperatorTesting
import Testing

/// A handler whose ConfigMap `<name>-fields` carries `spec.data` as data and `spec.labels` as
/// labels, so a test can stop setting a field.
struct FieldsHandler: Handler {
    func sync(_ request: SyncRequest) async throws -> SyncResponse {
        let spec = request.parent.spec ?? .object([:])
        var child = KubeObject(type: .configMap, name: "\(request.parent.name ?? "")-fields")
        child.json["data"] = spec["data"] ?? .object([:])
        if let labels = spec["labels"]?.objectValue, !labels.isEmpty { child.json[path: "metadata", "labels"] = .object(labels) }
        return SyncResponse(status: ["ok": true], children: [child])
    }
}

/// Desired children decided by the test (not by the parent), so a sync can be forced while the
/// caches are blind.
final class ChildCountHandler: Handler {
    private let count = Lock(1)

    func want(_ children: Int) { count.withLock { $0 = children } }

    func sync(_ request: SyncRequest) async throws -> SyncResponse {
        var response = SyncResponse()
        for index in 0..<count.withLock({ $0 }) {
            response.add(KubeObject(type: .configMap, name: "\(request.parent.name ?? "")-\(index)"))
        }
        return response
    }
}

/// One child per parent; the first sync waits in the handler until the test opens the gate.
final class GatedHandler: Handler {
    let gate = Latch()
    private let count = Lock(0)

    /// Handler calls so far.
    var calls: Int { count.withLock { $0 } }

    func sync(_ request: SyncRequest) async throws -> SyncResponse {
        let call = count.withLock { count in
            count += 1
            return count
        }
        if call == 1 { try await gate.wait() }
        var response = SyncResponse()
        response.add(KubeObject(type: .configMap, name: "\(request.parent.name ?? "")-0"))
        return response
    }
}

@Suite("Operator behaviour: terminal errors, timeouts, field removal, expectations")
struct OperatorBehaviourTests {
    @Test("a TerminalError stops retries until the parent's generation changes")
    func terminalError() async throws {
        let handler = ClosureHandler(sync: { request in
            if request.parent.spec?["impossible"]?.boolValue == true { throw TerminalError("cannot do that") }
            return try await EchoHandler().sync(request)
        })
        let kit = try await TestKit.start(echoConfig(), handler: handler)
        try await withStop(kit) {
            let key = ParentKey(namespace: "default", name: "t")
            try await kit.createParent(echoParent("t", ["impossible": true]))
            try await kit.waitUntil("the terminal failure") { kit.operator.statistics.failedSyncs == 1 }
            try await kit.waitUntil("nothing scheduled") { kit.operator.queue.isIdle(key) }
            #expect(kit.operator.queue.failures(of: key) == 0, "no backoff: nothing is retried")
            let syncs = kit.syncCount(forParent: "t")
            let successes = kit.operator.statistics.successfulSyncs
            // An event (or an explicit sync) does not call the handler again for the same spec.
            kit.operator.syncNow(key)
            try await kit.waitUntil("the skipped sync") { kit.operator.statistics.successfulSyncs > successes }
            #expect(kit.syncCount(forParent: "t") == syncs)
            let events = try await kit.events(forParent: "t")
            #expect(events.contains { $0.json["reason"] == "SyncFailed" })
            // A new spec tries again.
            try await kit.updateParent(named: "t", spec: ["message": "fixed"])
            try await kit.waitForChild(.configMap, named: "t-echo", matching: ["data": ["message": "fixed"]])
        }
    }

    @Test("a sync past its timeout fails without writing children (manual clock)")
    func syncTimeout() async throws {
        let server = try await EmbeddedAPIServer.start(
            EmbeddedAPIServer.Configuration(customResourceDefinitions: [
                CustomResourceDefinitions.make(for: echoType)
            ]))
        let client = try KubeClient(configuration: server.clientConfiguration)
        let clock = ManualClock()
        let started = CallCounter()
        let handler = ClosureHandler(sync: { request in
            _ = started.next()
            // Runs until cancelled: only the timeout ends it.
            while !Task.isCancelled { try await Task.sleep(for: .seconds(3600)) }
            return try await EchoHandler().sync(request)
        })
        let group = OperatorGroup(client: client, configuration: .init(clock: clock))
        let member = try group.add(echoConfig().syncTimeout(.seconds(10)), handler: handler)
        let run = Task { try await group.run() }
        do {
            try await waitUntil("ready") { group.isReady }
            _ = try await client.create(echoType, KubeObject(echoParent("slow", ["message": "x"])))
            try await waitUntil("the handler started and the timeout is armed") {
                started.value == 1 && clock.sleeperCount == 1
            }
            clock.advance(by: .seconds(9))
            #expect(member.statistics.failedSyncs == 0)
            clock.advance(by: .seconds(1))
            // The queue records the failure just after the metrics do.
            try await waitUntil("the sync failed and backs off") {
                member.statistics.failedSyncs == 1
                    && member.queue.failures(of: ParentKey(namespace: "default", name: "slow")) == 1
            }
            let child = try? await client.get(.configMap, namespace: "default", name: "slow-echo")
            #expect(child == nil, "no child write started")
            #expect(member.statistics.apiWrites == 1, "only the finalizer was written")
        } catch {
            run.cancel()
            _ = await run.result
            try await client.shutdown()
            try await server.shutdown()
            throw error
        }
        run.cancel()
        _ = await run.result
        try await client.shutdown()
        try await server.shutdown()
    }

    @Test(
        "a field the handler stops setting is removed, then nothing is written while idle",
        arguments: [UpdateStrategy.replace, .serverSideApply])
    func fieldRemoval(strategy: UpdateStrategy) async throws {
        let config = OperatorConfig(name: "fields", parent: echoType)
            .withChild(.configMap, ChildConfig(updateStrategy: strategy))
        let kit = try await TestKit.start(config, handler: FieldsHandler())
        try await withStop(kit) {
            try await kit.createParent(echoParent("f", ["data": ["a": "1", "b": "2"], "labels": ["tier": "web"]]))
            try await kit.waitForChild(
                .configMap, named: "f-fields",
                matching: [
                    "data": ["a": "1", "b": "2"], "metadata": ["labels": ["tier": "web"]],
                ])
            try await kit.updateParent(named: "f", spec: ["data": ["a": "1"]])
            try await kit.waitUntil("data.b and the label removed") {
                let child = try? await kit.object(.configMap, named: "f-fields")
                return child?.json["data"] == ["a": "1"] && child?.labels["tier"] == nil
            }
            let child = try #require(try await kit.object(.configMap, named: "f-fields"))
            #expect(child.labels[TrackingLabels.parentUID] != nil, "tracking labels stay")
            // Idle: syncs write nothing.
            try await kit.waitUntil("no sync in flight") { kit.operator.queue.runningCount == 0 }
            let server = try #require(kit.server)
            let writes = server.requests.writes
            let version = child.resourceVersion
            let syncs = kit.operator.statistics.successfulSyncs
            for round in 1...3 {
                kit.operator.syncNow(ParentKey(namespace: "default", name: "f"))
                try await kit.waitUntil("idle sync \(round)") { kit.operator.statistics.successfulSyncs >= syncs + round }
            }
            #expect(server.requests.writes == writes)
            #expect(try await kit.object(.configMap, named: "f-fields")?.resourceVersion == version)
        }
    }

    @Test("a parent at rest holds no actor; its next change makes a new one")
    func settledParentDropsItsActor() async throws {
        let kit = try await TestKit.start(echoConfig(), handler: EchoHandler())
        try await withStop(kit) {
            try await kit.createParent(echoParent("rest", ["message": "one"]))
            try await kit.waitForChild(.configMap, named: "rest-echo", matching: ["data": ["message": "one"]])
            // Once the caches showed the operator's writes, the echo sync leaves nothing to remember.
            try await kit.waitUntil("the actor is dropped") { kit.operator.reconciler?.parentReconcilerCount == 0 }
            let server = try #require(kit.server)
            let writes = server.requests.writes
            try await kit.patchParent(named: "rest", ["spec": ["message": "two"]])
            try await kit.waitForChild(.configMap, named: "rest-echo", matching: ["data": ["message": "two"]])
            try await kit.waitUntil("the new actor is dropped") { kit.operator.reconciler?.parentReconcilerCount == 0 }
            // The change itself, the child's update and the status: no write repeated for want of memory.
            #expect(server.requests.writes - writes <= 3)
        }
    }

    @Test("a parent recreated under the same name syncs at once, not after the old backoff")
    func recreatedParentSyncsAtOnce() async throws {
        let config = echoConfig().backoff(Backoff(initial: .seconds(600), max: .seconds(600), jitter: 0))
        let kit = try await TestKit.start(config, handler: EchoHandler())
        try await withStop(kit) {
            let key = ParentKey(namespace: "default", name: "re")
            try await kit.createParent(echoParent("re", ["fail": true]))
            try await kit.waitUntil("backing off") { kit.operator.queue.failures(of: key) == 1 }
            // Gone without a sync in between: no finalizer left, then deleted.
            try await kit.patchParent(named: "re", ["metadata": ["finalizers": .null]])
            try await kit.deleteParent(named: "re")
            try await kit.waitForParentGone(named: "re")
            try await kit.waitUntil("forgotten") { kit.operator.queue.failures(of: key) == 0 }
            #expect(kit.operator.reconciler?.parentReconcilerCount == 0)
            try await kit.createParent(echoParent("re", ["message": "again"]))
            try await kit.waitForChild(.configMap, named: "re-echo", matching: ["data": ["message": "again"]])
        }
    }

    @Test("read-your-writes for the finalizer: a sync before the cache shows it adds it neither again nor with a 409")
    func finalizerWhileTheCacheLags() async throws {
        let handler = GatedHandler()
        let kit = try await TestKit.start(echoConfig(), handler: handler)
        try await withStop(kit) {
            let server = try #require(kit.server)
            let key = ParentKey(namespace: "default", name: "fin")
            let created = try await kit.createParent(echoParent("fin", [:]))
            // The first sync added the finalizer and waits in the handler.
            try await kit.waitUntil("the first sync reached the handler") { handler.calls == 1 }
            #expect(try await kit.parent(named: "fin").finalizers == [echoConfig().finalizerName])
            // Blind the caches, and put the parent back in its cache as it was before the finalizer.
            server.faults.setLatency(.seconds(5), verbs: [.watch])
            server.faults.cutWatches()
            let store = try #require(kit.operator.reconciler?.parents.store)
            _ = store.apply(.modified(created))
            let patches = server.requests.count(of: .patch)
            handler.gate.open()
            try await kit.waitUntil("the first sync done") { kit.operator.statistics.successfulSyncs >= 1 }
            kit.operator.syncNow(key)
            try await kit.waitUntil("a second sync") { kit.operator.statistics.successfulSyncs >= 2 }
            #expect(handler.calls >= 2)
            #expect(kit.operator.statistics.conflicts == 0)
            // The first sync's status patch; the second adds no finalizer and writes no status again.
            #expect(server.requests.count(of: .patch) == patches + 1)
            server.faults.setLatency(.zero)
        }
    }

    @Test("expectations: syncs while the cache lags neither create nor delete twice")
    func expectationsWhileTheCacheLags() async throws {
        let handler = ChildCountHandler()
        handler.want(2)
        let kit = try await TestKit.start(echoConfig(), handler: handler)
        try await withStop(kit) {
            let server = try #require(kit.server)
            let key = ParentKey(namespace: "default", name: "lag")
            try await kit.createParent(echoParent("lag", [:]))
            try await kit.waitForChild(.configMap, named: "lag-1", matching: [:])
            let uid = try #require(try await kit.parent(named: "lag").uid)
            try await kit.waitUntil("both children in the cache and nothing scheduled") {
                kit.operator.queue.isIdle(key)
                    && kit.operator.reconciler?.children[.configMap]?.store.objects(ownedBy: uid).count == 2
            }
            // Blind the caches: every watch is cut and takes 5 s to come back.
            server.faults.setLatency(.seconds(5), verbs: [.watch])
            server.faults.cutWatches()
            let creates = server.requests.count(of: .create)
            let deletes = server.requests.count(of: .delete)
            func blindSyncs(_ what: String) async throws {
                for round in 1...3 {
                    let syncs = kit.operator.statistics.successfulSyncs
                    kit.operator.syncNow(key)
                    try await kit.waitUntil("\(what) sync \(round)") { kit.operator.statistics.successfulSyncs > syncs }
                }
            }
            // lag-1 is deleted once, though the cache keeps showing it.
            handler.want(1)
            try await blindSyncs("delete")
            #expect(server.requests.count(of: .delete) == deletes + 1, "one delete, not one per sync")
            // lag-2 is created once, though the cache never shows it; lag-1 waits for its deletion.
            handler.want(3)
            try await blindSyncs("create")
            #expect(server.requests.count(of: .create) == creates + 1, "one create, not one per sync")
            #expect(kit.operator.statistics.conflicts == 0)
            server.faults.setLatency(.zero)
            try await kit.waitForChild(.configMap, named: "lag-2", matching: [:])
            try await kit.waitUntil("lag-1 created again once its deletion was seen") {
                try await kit.object(.configMap, named: "lag-1") != nil
            }
        }
    }
}
