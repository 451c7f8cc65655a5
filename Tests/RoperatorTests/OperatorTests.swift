import Roperator
import RoperatorClient
import RoperatorTesting
import Synchronization
import Testing

@Suite("Operator through the TestKit")
struct OperatorTests {
    @Test("create, update per strategy", arguments: [UpdateStrategy.replace, .recreate, .serverSideApply, .onDelete])
    func basicFlow(strategy: UpdateStrategy) async throws {
        let kit = try await TestKit.start(echoConfig(strategy), handler: EchoHandler())
        try await withStop(kit) {
            try await kit.createParent(echoParent("a", ["message": "one"]))
            let first = try await kit.waitForChild(.configMap, named: "a-echo", matching: ["data": ["message": "one"]])
            #expect(first.labels[TrackingLabels.parentUID] == (try await kit.parent(named: "a")).uid)
            #expect(first.controllerReference?.name == "a")

            try await kit.updateParent(named: "a", spec: ["message": "two"])
            if strategy == .onDelete {
                try await kit.waitForParentStatus(named: "a", matching: ["message": "two", "observedGeneration": 2])
                let child = try #require(try await kit.object(.configMap, named: "a-echo"))
                #expect(child.json[path: "data", "message"] == "one")
                #expect(child.uid == first.uid)
            } else {
                let second = try await kit.waitForChild(.configMap, named: "a-echo", matching: ["data": ["message": "two"]])
                if strategy == .recreate {
                    #expect(second.uid != first.uid)
                } else {
                    #expect(second.uid == first.uid)
                }
            }
        }
    }

    @Test("status carries observedGeneration and the finalizer is added first")
    func statusAndGeneration() async throws {
        let kit = try await TestKit.start(echoConfig(), handler: EchoHandler())
        try await withStop(kit) {
            try await kit.createParent(echoParent("s", ["message": "hello"]))
            let parent = try await kit.waitForParentStatus(named: "s", matching: ["message": "hello", "observedGeneration": 1])
            #expect(parent.finalizers.contains(kit.operator.config.finalizerName))
            try await kit.updateParent(named: "s", spec: ["message": "again"])
            try await kit.waitForParentStatus(named: "s", matching: ["message": "again", "observedGeneration": 2])
        }
    }

    @Test("no API writes when nothing changed")
    func idleWritesNothing() async throws {
        let kit = try await TestKit.start(echoConfig(), handler: EchoHandler())
        try await withStop(kit) {
            try await kit.createParent(echoParent("i", ["message": "quiet"]))
            try await kit.waitForChild(.configMap, named: "i-echo", matching: ["data": ["message": "quiet"]])
            try await kit.waitForParentStatus(named: "i", matching: ["message": "quiet", "observedGeneration": 1])
            // No sync in flight before the baselines: the operator counts a write when it sends
            // it, the server when it answers, so a write in flight would show on one side only.
            try await kit.waitUntil("no sync in flight") {
                let statistics = kit.operator.statistics
                return statistics.successfulSyncs > 0
                    && statistics.successfulSyncs + statistics.failedSyncs >= kit.syncCount(forParent: "i")
            }
            let parentVersion = try await kit.parent(named: "i").resourceVersion
            let childVersion = try await kit.object(.configMap, named: "i-echo")?.resourceVersion
            let writes = kit.operator.statistics.apiWrites
            let server = try #require(kit.server)
            let serverWrites = server.requests.writes
            let syncs = kit.syncCount(forParent: "i")
            for round in 1...3 {
                kit.operator.syncNow(ParentKey(namespace: "default", name: "i"))
                try await kit.waitUntil("sync \(round) ran") { kit.syncCount(forParent: "i") >= syncs + round }
            }
            try await kit.waitUntil("the last sync finished") {
                kit.operator.statistics.successfulSyncs + kit.operator.statistics.failedSyncs >= syncs + 3
            }
            #expect(kit.operator.statistics.apiWrites == writes)
            // Counted by the API server too: nothing reached it but reads.
            #expect(server.requests.writes == serverWrites)
            #expect(try await kit.parent(named: "i").resourceVersion == parentVersion)
            #expect(try await kit.object(.configMap, named: "i-echo")?.resourceVersion == childVersion)
        }
    }

    @Test("a child deleted behind the operator's back is recreated")
    func deletedChildIsRecreated() async throws {
        let kit = try await TestKit.start(echoConfig(), handler: EchoHandler())
        try await withStop(kit) {
            try await kit.createParent(echoParent("d", ["message": "keep"]))
            let child = try await kit.waitForChild(.configMap, named: "d-echo")
            try await kit.client.delete(.configMap, namespace: "default", name: "d-echo")
            try await kit.waitUntil("the child is recreated") {
                guard let again = try await kit.object(.configMap, named: "d-echo") else { return false }
                return again.uid != child.uid
            }
        }
    }

    @Test("after compaction and a cut watch the caches relist, and a child deleted meanwhile is recreated")
    func relistRecreates() async throws {
        let kit = try await TestKit.start(echoConfig(), handler: EchoHandler())
        try await withStop(kit) {
            let server = try #require(kit.server)
            try await kit.createParent(echoParent("g", ["message": "gap"]))
            let child = try await kit.waitForChild(.configMap, named: "g-echo")
            server.faults.add(FaultRule(.serviceUnavailable, verbs: [.watch, .list]))
            _ = server.faults.cutWatches()
            try await kit.client.delete(.configMap, namespace: "default", name: "g-echo")
            await server.faults.forceCompaction()
            server.faults.removeAll()
            try await kit.waitUntil("the child is recreated after the relist") {
                guard let again = try await kit.object(.configMap, named: "g-echo") else { return false }
                return again.uid != child.uid
            }
        }
    }

    @Test("a child of the same name owned by another parent is refused, not taken over")
    func childOwnedByAnotherParent() async throws {
        let kit = try await TestKit.start(echoConfig(), handler: EchoHandler())
        try await withStop(kit) {
            let a = try await kit.createParent(echoParent("a", ["message": "mine"]))
            try await kit.waitForChild(.configMap, named: "a-echo", matching: ["data": ["message": "mine"]])
            try await kit.createParent(echoParent("b", ["message": "theirs", "childName": "a-echo"]))
            try await kit.waitForParentStatus(
                named: "b", matching: ["conditions": [["type": "ChildrenValid", "status": "False", "reason": "InvalidChild"]]])
            let child = try #require(try await kit.object(.configMap, named: "a-echo"))
            #expect(child.controllerReference?.uid == a.uid)
            #expect(child.json[path: "data", "message"] == "mine")
            try await kit.waitUntil("a Warning event on b") {
                try await kit.events(forParent: "b").contains {
                    $0.json["type"] == "Warning" && $0.json["reason"] == "InvalidChild"
                }
            }
            // The Event is written during the sync; the sync is counted once it has finished
            // (after the status write), so the count may trail the Event.
            try await kit.waitUntil("the failed sync is counted") { kit.operator.statistics.failedSyncs > 0 }
        }
    }

    @Test("a throwing handler keeps the children and records a Warning event")
    func handlerErrorKeepsChildren() async throws {
        let kit = try await TestKit.start(echoConfig(), handler: EchoHandler())
        try await withStop(kit) {
            try await kit.createParent(echoParent("e", ["message": "ok"]))
            let child = try await kit.waitForChild(.configMap, named: "e-echo")
            try await kit.updateParent(named: "e", spec: ["message": "ok", "fail": true])
            try await kit.waitUntil("the handler failed twice (retried with backoff)") { kit.errorCount(forParent: "e") >= 2 }
            try await kit.waitUntil("a SyncFailed event") {
                try await kit.events(forParent: "e").contains {
                    $0.json["type"] == "Warning" && $0.json["reason"] == "SyncFailed"
                }
            }
            // Repeats of the same failure bump one Event's count instead of adding Events.
            try await kit.waitUntil("the SyncFailed event counted a repeat") {
                try await kit.events(forParent: "e").contains {
                    $0.json["reason"] == "SyncFailed" && ($0.json["count"]?.intValue ?? 0) >= 2
                }
            }
            #expect(try await kit.events(forParent: "e").filter { $0.json["reason"] == "SyncFailed" }.count == 1)
            let still = try #require(try await kit.object(.configMap, named: "e-echo"))
            #expect(still.uid == child.uid)
            // Recovery: the next successful sync resets the error path.
            try await kit.updateParent(named: "e", spec: ["message": "fine"])
            try await kit.waitForChild(.configMap, named: "e-echo", matching: ["data": ["message": "fine"]])
        }
    }

    @Test("an invalid desired child is reported; the valid ones are applied")
    func invalidChild() async throws {
        let kit = try await TestKit.start(echoConfig(), handler: EchoHandler())
        try await withStop(kit) {
            try await kit.createParent(
                echoParent(
                    "v",
                    [
                        "message": "valid",
                        "extraChildren": [
                            ["apiVersion": "v1", "kind": "ConfigMap", "metadata": [:]],
                            ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "not-configured"]],
                        ],
                    ]))
            try await kit.waitForChild(.configMap, named: "v-echo", matching: ["data": ["message": "valid"]])
            try await kit.waitForParentStatus(
                named: "v", matching: ["message": "valid", "conditions": [["type": "ChildrenValid", "status": "False"]]])
            try await kit.waitUntil("an InvalidChild event") {
                try await kit.events(forParent: "v").contains { $0.json["reason"] == "InvalidChild" }
            }
            #expect(try await kit.object(.secret, named: "not-configured") == nil)
            // Other parents are unaffected.
            try await kit.createParent(echoParent("w", ["message": "fine"]))
            try await kit.waitForChild(.configMap, named: "w-echo", matching: ["data": ["message": "fine"]])
            let other = try await kit.waitForParentStatus(named: "w", matching: ["message": "fine", "observedGeneration": 1])
            #expect(other.condition(ofType: "ChildrenValid") == nil)
        }
    }

    @Test("a child returned twice is refused as a duplicate, also when it is exactly what the operator last wrote")
    func duplicateOfAWrittenChild() async throws {
        let kit = try await TestKit.start(echoConfig(), handler: EchoHandler())
        try await withStop(kit) {
            // The invalid extra child fails every sync, so the parent's actor, and the Applier's
            // record of the child it wrote, live on.
            let invalid: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": [:]]
            try await kit.createParent(echoParent("dup", ["message": "m", "extraChildren": [invalid]]))
            try await kit.waitForChild(.configMap, named: "dup-echo", matching: ["data": ["message": "m"]])
            // The echo child a second time, exactly as the handler returns it.
            let same: JSONValue = [
                "apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "dup-echo"], "data": ["message": "m"],
            ]
            _ = try await kit.updateParent(named: "dup", spec: ["message": "m", "extraChildren": [same]])
            try await kit.waitUntil("a warning naming the duplicate") {
                try await kit.events(forParent: "dup").contains { ($0.json["message"]?.stringValue ?? "").contains("more than once") }
            }
            let child = try #require(try await kit.object(.configMap, named: "dup-echo"))
            #expect(child.json["data"]?["message"] == "m")
        }
    }

    @Test("an invalid child never causes a deletion of existing children")
    func invalidChildDeletesNothing() async throws {
        let kit = try await TestKit.start(echoConfig(), handler: EchoHandler())
        try await withStop(kit) {
            let extra: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "keep-extra"]]
            try await kit.createParent(echoParent("keep", ["message": "one", "extraChildren": [extra]]))
            try await kit.waitForChild(.configMap, named: "keep-extra")
            // The same child, now in a namespace the parent does not own: invalid, so not desired.
            var moved = extra
            moved[path: "metadata", "namespace"] = "elsewhere"
            _ = try await kit.updateParent(named: "keep", spec: ["message": "two", "extraChildren": [moved]])
            try await kit.waitForParentStatus(
                named: "keep", matching: ["message": "two", "conditions": [["type": "ChildrenValid", "status": "False"]]])
            try await kit.waitForChild(.configMap, named: "keep-echo", matching: ["data": ["message": "two"]])
            #expect(try await kit.object(.configMap, named: "keep-extra") != nil)
        }
    }

    @Test("finalize runs until done, honouring retry-after once")
    func finalizeWithRetry() async throws {
        let calls = CallCounter()
        let handler = ClosureHandler(
            sync: { request in try await EchoHandler().sync(request) },
            finalize: { _ in
                calls.next() == 1 ? .retry(after: .milliseconds(200)) : .done()
            })
        let kit = try await TestKit.start(echoConfig(), handler: handler)
        try await withStop(kit) {
            try await kit.createParent(echoParent("f", ["message": "bye"]))
            try await kit.waitForParentStatus(named: "f", matching: ["observedGeneration": 1])
            let start = ContinuousClock.now
            try await kit.deleteParent(named: "f")
            try await kit.waitForParentGone(named: "f")
            #expect(calls.value == 2)
            #expect(ContinuousClock.now - start >= .milliseconds(200))
        }
    }

    @Test("resyncAfter syncs again without any change")
    func resyncAfter() async throws {
        let kit = try await TestKit.start(echoConfig(), handler: EchoHandler(resyncAfter: .milliseconds(100)))
        try await withStop(kit) {
            try await kit.createParent(echoParent("r", ["message": "tick"]))
            try await kit.waitForChild(.configMap, named: "r-echo")
            let syncs = kit.syncCount(forParent: "r")
            try await kit.waitUntil("three more syncs") { kit.syncCount(forParent: "r") >= syncs + 3 }
        }
    }

    @Test("a spec change syncs at once, even while the parent is backing off")
    func specChangeBypassesBackoff() async throws {
        let config = echoConfig().backoff(Backoff(initial: .seconds(60), max: .seconds(60), multiplier: 2, jitter: 0))
        let kit = try await TestKit.start(config, handler: EchoHandler())
        try await withStop(kit) {
            try await kit.createParent(echoParent("fix", ["message": "broken", "fail": true]))
            try await kit.waitUntil("the handler failed") { kit.errorCount(forParent: "fix") >= 1 }
            // The next retry is a minute away; the corrected spec must not wait for it.
            _ = try await kit.updateParent(named: "fix", spec: ["message": "fixed", "fail": false])
            try await kit.waitForChild(.configMap, named: "fix-echo", matching: ["data": ["message": "fixed"]], timeout: .seconds(10))
        }
    }

    @Test("failing syncs back off exponentially; a success resets the backoff")
    func backoffGrowthAndReset() async throws {
        let failures = CallTimes()
        let handler = ClosureHandler(sync: { request in
            if request.parent.spec?["fail"]?.boolValue == true { failures.record() }
            return try await EchoHandler().sync(request)
        })
        let config = echoConfig().backoff(Backoff(initial: .milliseconds(40), max: .seconds(5), multiplier: 2, jitter: 0))
        let kit = try await TestKit.start(config, handler: handler)
        try await withStop(kit) {
            try await kit.createParent(echoParent("b", ["message": "x", "fail": true]))
            try await kit.waitUntil("six failed syncs") { failures.all.count >= 6 }
            // The first calls may be event-driven (the finalizer patch); later ones are backoff only.
            // A stray event (a relist, an Event write) can start one sync before its delay is over;
            // the count still grows, so at most one gap may fall short and the delays keep doubling.
            let gaps = Array(failures.gaps(from: 2).prefix(3))
            let expected = (0..<gaps.count).map { index in Duration.milliseconds(40) * (1 << (index + 2)) * 0.9 }
            let short = zip(gaps, expected).filter { $0 < $1 }.count
            #expect(short <= 1, "gaps \(gaps) against at least \(expected)")
            // Whichever gap the stray sync cut, one of the last two waited out its doubled delay.
            #expect(gaps.count == 3 && gaps.max()! >= expected[1], "the delays grew: \(gaps)")
            try await kit.updateParent(named: "b", spec: ["message": "ok", "fail": false])
            try await kit.waitForParentStatus(named: "b", matching: ["message": "ok"])
            let before = failures.all.count
            try await kit.updateParent(named: "b", spec: ["message": "again", "fail": true])
            try await kit.waitUntil("two failed syncs after the reset") { failures.all.count >= before + 2 }
            let reset = failures.gaps(from: before)[0]
            // Without the reset the retry would wait at least 40 ms * 2^5 = 1.28 s (six failures
            // so far); the initial 40 ms, plus slack for a loaded 2-core machine, stays well below.
            #expect(reset < .milliseconds(800), "the first retry after a success uses the initial delay")
        }
    }

    @Test("syncs of one parent never overlap and concurrency stays bounded under load")
    func serializationAndBound() async throws {
        let tracker = OverlapTracker()
        let handler = ClosureHandler(sync: { request in
            tracker.enter(request.parentKey)
            defer { tracker.leave(request.parentKey) }
            // Simulated work, so that overlapping syncs would be seen.
            try await Task.sleep(for: .milliseconds(5))
            return try await EchoHandler(resyncAfter: .milliseconds(5)).sync(request)
        })
        let kit = try await TestKit.start(echoConfig().concurrency(2), handler: handler)
        try await withStop(kit) {
            let names = (0..<6).map { "p\($0)" }
            for name in names { try await kit.createParent(echoParent(name, ["message": .string(name)])) }
            try await kit.waitUntil("every parent synced five times") {
                names.allSatisfy { kit.syncCount(forParent: $0) >= 5 }
            }
            #expect(tracker.maxPerParent == 1)
            #expect(tracker.maxTotal <= 2)
            #expect(tracker.maxTotal == 2)
        }
    }
}

/// Runs `body`, then stops the kit, also when `body` throws.
func withStop(_ kit: TestKit, _ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch {
        try? await kit.stop()
        throw error
    }
    try await kit.stop()
}
