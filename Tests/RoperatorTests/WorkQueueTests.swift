import Testing
@testable import Roperator

/// Counters shared between the sync closure and the test.
final class SyncProbe: Sendable {
    struct State {
        var running: [ParentKey: Int] = [:]
        var maxPerKey = 0
        var total = 0
        var maxTotal = 0
        var runs: [ParentKey: Int] = [:]
        var order: [ParentKey] = []
    }

    let state = Lock(State())

    func enter(_ key: ParentKey) {
        state.withLock {
            $0.running[key, default: 0] += 1
            $0.maxPerKey = max($0.maxPerKey, $0.running[key]!)
            $0.total += 1
            $0.maxTotal = max($0.maxTotal, $0.total)
            $0.runs[key, default: 0] += 1
            $0.order.append(key)
        }
    }

    func leave(_ key: ParentKey) {
        state.withLock {
            $0.running[key]! -= 1
            $0.total -= 1
        }
    }

    func runs(_ key: ParentKey) -> Int { state.withLock { $0.runs[key] ?? 0 } }
    var snapshot: State { state.withLock { $0 } }
}

@Suite struct WorkQueueTests {
    func key(_ name: String) -> ParentKey { ParentKey(namespace: "ns", name: name) }

    /// Runs the queue in a child task for the duration of `body`, then cancels it and checks that
    /// `run` returned with nothing left running.
    func withRunningQueue(
        _ queue: WorkQueue,
        sync: @escaping @Sendable (ParentKey) async throws -> ReconcileOutcome,
        _ body: () async throws -> Void
    ) async throws {
        let finished = Lock(false)
        let runner = Task {
            await queue.run(sync)
            finished.withLock { $0 = true }
        }
        do {
            try await body()
        } catch {
            runner.cancel()
            await runner.value
            throw error
        }
        runner.cancel()
        await runner.value
        #expect(finished.withLock { $0 })
        #expect(queue.runningCount == 0)
    }

    @Test func runsAddedKeys() async throws {
        let queue = WorkQueue(concurrency: 4)
        let probe = SyncProbe()
        try await withRunningQueue(
            queue,
            sync: { k in
                probe.enter(k); probe.leave(k); return .done
            }
        ) {
            for i in 0..<50 { queue.add(key("k\(i)")) }
            try await waitUntil("all keys synced") { (0..<50).allSatisfy { probe.runs(key("k\($0)")) >= 1 } }
        }
    }

    @Test("a sync sees whether an add during it asked for another run of its key")
    func rerunRequestedDuringASync() async throws {
        let queue = WorkQueue(concurrency: 2)
        let seen = Lock<[(before: Bool, after: Bool)]>([])
        try await withRunningQueue(
            queue,
            sync: { k in
                let before = queue.isRerunRequested(k)
                if seen.withLock({ $0.isEmpty }) { queue.add(k) }
                seen.withLock { $0.append((before, queue.isRerunRequested(k))) }
                return .done
            }
        ) {
            queue.add(key("a"))
            try await waitUntil("the key ran twice") { seen.withLock { $0.count } >= 2 }
            let runs = seen.withLock { $0 }
            #expect(runs[0].before == false)
            #expect(runs[0].after == true)
            #expect(runs[1].before == false)
            #expect(runs[1].after == false)
            #expect(queue.isRerunRequested(key("a")) == false)
        }
    }

    @Test func noOverlapPerKeyAndConcurrencyBoundUnderLoad() async throws {
        let queue = WorkQueue(concurrency: 5, shards: 4)
        let probe = SyncProbe()
        let keys = (0..<8).map { key("k\($0)") }
        try await withRunningQueue(
            queue,
            sync: { k in
                probe.enter(k)
                // Yield a few times so syncs really interleave.
                for _ in 0..<3 { await Task.yield() }
                probe.leave(k)
                return .done
            }
        ) {
            await withTaskGroup(of: Void.self) { group in
                for producer in 0..<8 {
                    group.addTask {
                        for i in 0..<400 {
                            queue.add(keys[(i + producer) % keys.count])
                            if i % 16 == 0 { await Task.yield() }
                        }
                    }
                }
            }
            // Every key gets a sync after the last add.
            let afterAdds = probe.snapshot.runs
            for k in keys { queue.add(k) }
            try await waitUntil("a sync of every key after the adds") {
                let runs = probe.snapshot.runs
                return keys.allSatisfy { (runs[$0] ?? 0) > (afterAdds[$0] ?? 0) }
            }
            try await waitUntil("queue drained") { queue.runningCount == 0 && queue.readyCount == 0 }
        }
        let state = probe.snapshot
        #expect(state.maxPerKey == 1)
        #expect(state.maxTotal <= 5)
        #expect(state.maxTotal > 1, "syncs should run concurrently")
        // De-duplication: far fewer syncs than adds.
        #expect(state.order.count < 8 * 400)
    }

    @Test func delayedRequeueRunsInDeadlineOrder() async throws {
        // One shard and one slot: even when a loaded machine wakes late and all three are due at
        // once, they leave in deadline order.
        let queue = WorkQueue(concurrency: 1, shards: 1)
        let probe = SyncProbe()
        try await withRunningQueue(
            queue,
            sync: { k in
                probe.enter(k); probe.leave(k); return .done
            }
        ) {
            queue.add(key("c"), after: .milliseconds(60))
            queue.add(key("a"), after: .milliseconds(20))
            queue.add(key("b"), after: .milliseconds(40))
            try await waitUntil("three syncs") { probe.snapshot.order.count == 3 }
        }
        #expect(probe.snapshot.order == [key("a"), key("b"), key("c")])
    }

    @Test func resyncAfterFromSyncResult() async throws {
        let queue = WorkQueue(concurrency: 2)
        let probe = SyncProbe()
        try await withRunningQueue(
            queue,
            sync: { k in
                probe.enter(k)
                probe.leave(k)
                return probe.runs(k) < 3 ? .requeue(after: .milliseconds(5)) : .done
            }
        ) {
            queue.add(key("a"))
            try await waitUntil("three syncs") { probe.runs(key("a")) == 3 }
            try await waitUntil("idle") { queue.isIdle(key("a")) }
        }
        #expect(probe.runs(key("a")) == 3)
    }

    @Test func backoffGrowsOnFailureAndResetsOnSuccess() async throws {
        struct Boom: Error {}
        let backoff = Backoff(initial: .seconds(5), max: .seconds(40), multiplier: 2, jitter: 0)
        let clock = ManualClock()
        let queue = WorkQueue(concurrency: 2, backoff: backoff, clock: clock)
        let probe = SyncProbe()
        try await withRunningQueue(
            queue,
            sync: { k in
                probe.enter(k)
                probe.leave(k)
                if probe.runs(k) <= 4 { throw Boom() }
                return .done
            }
        ) {
            queue.add(key("a"))
            // Each retry waits exactly its backoff on the manual clock: 5, 10, 20, 40 s.
            for (failures, delay) in zip(1...4, [5, 10, 20, 40]) {
                try await waitUntil("failure \(failures) and its retry timer") {
                    queue.failures(of: key("a")) == failures && clock.sleeperCount == 1
                }
                #expect(clock.nextDeadline == clock.now.advanced(by: .seconds(delay)))
                clock.advance(by: .seconds(delay) - .milliseconds(1))
                #expect(probe.runs(key("a")) == failures)
                clock.advance(by: .milliseconds(1))
                try await waitUntil("retry \(failures)") { probe.runs(key("a")) == failures + 1 }
            }
            try await waitUntil("success after four failures") { probe.runs(key("a")) == 5 && queue.isIdle(key("a")) }
        }
        #expect(queue.failures(of: key("a")) == 0)
    }

    @Test func runsAgainAfterAStoppedRun() async throws {
        let queue = WorkQueue(concurrency: 2)
        let probe = SyncProbe()
        for round in 1...3 {
            try await withRunningQueue(
                queue,
                sync: { k in
                    probe.enter(k); probe.leave(k); return .done
                }
            ) {
                queue.add(key("a"))
                try await waitUntil("sync in run \(round)") { probe.runs(key("a")) == round }
            }
        }
    }

    @Test func delayedRequeueWaitsOnTheClock() async throws {
        let clock = ManualClock()
        let queue = WorkQueue(concurrency: 1, clock: clock)
        let probe = SyncProbe()
        try await withRunningQueue(
            queue,
            sync: { k in
                probe.enter(k)
                probe.leave(k)
                return probe.runs(k) == 1 ? .requeue(after: .seconds(60)) : .done
            }
        ) {
            queue.add(key("a"))
            try await waitUntil("first sync and its timer") { probe.runs(key("a")) == 1 && clock.sleeperCount == 1 }
            clock.advance(by: .seconds(59))
            #expect(probe.runs(key("a")) == 1)
            clock.advance(by: .seconds(1))
            try await waitUntil("requeued sync") { probe.runs(key("a")) == 2 }
        }
    }

    /// A requeue is timed while another sync holds a slot, whichever task takes that other key
    /// (the dispatching loop in the free slot, or the requeued key's own task going on with it
    /// when its sync ends): the delayed key runs when due, not when the other sync ends.
    @Test func requeueIsTimedWhenTheSyncsTaskGoesOnWithAnotherKey() async throws {
        let clock = ManualClock()
        let queue = WorkQueue(concurrency: 2, clock: clock)
        let probe = SyncProbe()
        let release = Latch()
        try await withRunningQueue(
            queue,
            sync: { k in
                probe.enter(k)
                defer { probe.leave(k) }
                if k == key("y") {
                    try await release.wait()
                    return .done
                }
                if probe.runs(k) == 1 {
                    queue.add(key("y")) // ready when this sync ends, or started at once in the free slot
                    return .requeue(after: .seconds(60))
                }
                return .done
            }
        ) {
            queue.add(key("x"))
            try await waitUntil("y running and x's requeue timed") {
                probe.runs(key("y")) == 1 && probe.runs(key("x")) == 1 && clock.sleeperCount == 1
            }
            clock.advance(by: .seconds(60))
            try await waitUntil("x again while y still runs") { probe.runs(key("x")) == 2 }
            #expect(probe.runs(key("y")) == 1)
            release.open()
        }
    }

    @Test func waitUntilNothingRunsIsASignal() async throws {
        let queue = WorkQueue(concurrency: 2)
        let release = Latch()
        let started = Lock(0)
        try await withRunningQueue(
            queue,
            sync: { _ in
                started.withLock { $0 += 1 }
                try await release.wait()
                return .done
            }
        ) {
            queue.add(key("a"))
            queue.add(key("b"))
            try await waitUntil("two syncs running") { started.withLock { $0 } == 2 }
            let drained = Task { try await queue.waitUntilNothingRuns() }
            release.open()
            try await drained.value
            #expect(queue.runningCount == 0)
        }
    }

    @Test func syncNowBypassesDelay() async throws {
        let queue = WorkQueue(concurrency: 1)
        let probe = SyncProbe()
        try await withRunningQueue(
            queue,
            sync: { k in
                probe.enter(k); probe.leave(k); return .done
            }
        ) {
            queue.add(key("a"), after: .seconds(3600))
            queue.syncNow(key("a"))
            try await waitUntil("sync despite hour-long delay") { probe.runs(key("a")) == 1 }
        }
    }

    @Test func hotKeyDoesNotStarveOthers() async throws {
        let queue = WorkQueue(concurrency: 1, shards: 1)
        let probe = SyncProbe()
        let hot = key("hot")
        let others = (0..<10).map { key("other\($0)") }
        try await withRunningQueue(
            queue,
            sync: { k in
                probe.enter(k)
                if k == hot { queue.add(hot) } // keeps re-adding itself
                probe.leave(k)
                return .done
            }
        ) {
            queue.add(hot)
            for k in others { queue.add(k) }
            try await waitUntil("every other key synced") { others.allSatisfy { probe.runs($0) >= 1 } }
        }
        // The hot key ran at most once between any two other keys.
        let order = probe.snapshot.order
        let lastOther = order.lastIndex { $0 != hot }!
        #expect(order[...lastOther].filter { $0 == hot }.count <= others.count + 1)
    }

    @Test func cancellationFinishesInFlightSyncs() async throws {
        let queue = WorkQueue(concurrency: 4)
        let started = Lock(0)
        let ended = Lock(0)
        let runner = Task {
            await queue.run { _ in
                started.withLock { $0 += 1 }
                defer { ended.withLock { $0 += 1 } }
                // Blocks until cancelled.
                try await Task.sleep(for: .seconds(3600))
                return .done
            }
        }
        for i in 0..<4 { queue.add(key("k\(i)")) }
        try await waitUntil("four syncs in flight") { started.withLock { $0 } == 4 }
        runner.cancel()
        await runner.value
        #expect(ended.withLock { $0 } == 4)
        #expect(queue.runningCount == 0)
    }
}
