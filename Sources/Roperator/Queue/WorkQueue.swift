import Synchronization

/// The sharded work queue of an operator: decides which parent is synced when, and runs the syncs.
///
/// The rules (de-duplication, one sync per parent at a time, bounded concurrency, delayed
/// requeue, backoff, fairness) live in `WorkQueueStateMachine`; this class only adds a lock, a
/// clock and the tasks. Producers (informer events, timers) call ``add(_:)``,
/// ``add(_:after:)`` and ``syncNow(_:)`` from any task; ``run(_:)`` hands keys to the sync
/// closure.
///
/// Per-parent reconcile state: the scheduling part (in flight, pending re-run, failure count,
/// resync/backoff timer) is kept per key inside this queue's state machine rather than in an
/// actor per parent. One lock around O(1)/O(log n) bookkeeping costs far less than an actor hop
/// per event for tens of thousands of parents, and it lets the queue see every key at once,
/// which fairness and the concurrency bound need. State the sync itself owns (such as the last
/// status written) is safe in the reconciler because the queue never runs two syncs of one
/// parent at once.
///
/// ```swift
/// let queue = WorkQueue(concurrency: 16, backoff: .default)
/// queue.add(ParentKey(namespace: "default", name: "web"))
/// try await queue.run { key in
///     try await reconcile(key)      // return a delay to run again later, or nil
/// }
/// ```
public final class WorkQueue: Sendable {
    private let state: Mutex<WorkQueueStateMachine<ContinuousClock.Instant>>
    private let clock = ContinuousClock()
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    /// - Parameters:
    ///   - concurrency: Most syncs running at once; default 16.
    ///   - shards: Number of ready FIFOs served round-robin; default 16.
    ///   - backoff: Retry delays after failures; default ``Backoff/default``.
    public convenience init(concurrency: Int = 16, shards: Int = 16, backoff: Backoff = .default) {
        self.init(
            configuration: .init(maxConcurrency: concurrency, shardCount: shards, backoff: backoff),
            random: SystemRandomNumberGenerator())
    }

    init(
        configuration: WorkQueueStateMachine<ContinuousClock.Instant>.Configuration,
        random: any RandomNumberGenerator & Sendable
    ) {
        state = Mutex(WorkQueueStateMachine(configuration: configuration, random: random))
        // Wake-ups are level-triggered: one pending signal is as good as many.
        (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Schedules a sync of `key` as soon as possible (a no-op when one is already waiting).
    public func add(_ key: ParentKey) {
        let now = clock.now
        if state.withLock({ $0.add(key, now: now) }) { wake.yield() }
    }

    /// Schedules a sync of `key` after `delay`; when one is already scheduled the earlier wins.
    public func add(_ key: ParentKey, after delay: Duration) {
        let now = clock.now
        if state.withLock({ $0.add(key, after: delay, now: now) }) { wake.yield() }
    }

    /// Syncs `key` as soon as a slot is free, skipping any delay or backoff.
    public func syncNow(_ key: ParentKey) {
        let now = clock.now
        if state.withLock({ $0.syncNow(key, now: now) }) { wake.yield() }
    }

    /// Clears the failure count of `key`, e.g. after its parent was deleted.
    public func forget(_ key: ParentKey) {
        state.withLock { $0.forget(key) }
    }

    /// Number of syncs running now.
    public var runningCount: Int { state.withLock { $0.runningCount } }

    /// Number of keys ready and waiting for a slot.
    public var readyCount: Int { state.withLock { $0.readyCount } }

    /// Consecutive failures of `key`.
    public func failures(of key: ParentKey) -> Int { state.withLock { $0.failures(of: key) } }

    /// Whether `key` has nothing scheduled, running or backing off.
    public func isIdle(_ key: ParentKey) -> Bool {
        state.withLock { $0.phase(of: key) == nil && $0.failures(of: key) == 0 }
    }

    /// Runs syncs until the calling task is cancelled, then cancels the syncs in flight and
    /// returns once every one of them has finished. Call at most once per queue.
    ///
    /// - Parameter sync: Syncs one parent. Return a delay to run it again later (resync-after),
    ///   or `nil`. A thrown error schedules a retry with backoff; it never stops the queue.
    public func run(_ sync: @escaping @Sendable (ParentKey) async throws -> Duration?) async {
        var wakeIterator = wakeups.makeAsyncIterator()
        await withDiscardingTaskGroup { group in
            var timerDeadline: ContinuousClock.Instant?
            while !Task.isCancelled {
                let now = clock.now
                if let deadline = timerDeadline, deadline <= now { timerDeadline = nil }
                var waitUntil: ContinuousClock.Instant?
                while true {
                    switch state.withLock({ $0.next(now: now) }) {
                    case .run(let key):
                        group.addTask { await self.perform(key, sync) }
                        continue
                    case .wait(let until):
                        waitUntil = until
                    }
                    break
                }
                // One timer per earliest deadline; a stale timer only causes a harmless extra pass.
                if let waitUntil, timerDeadline.map({ waitUntil < $0 }) ?? true {
                    timerDeadline = waitUntil
                    group.addTask { [clock, wake] in
                        if (try? await clock.sleep(until: waitUntil)) != nil { wake.yield() }
                    }
                }
                // Returns nil once this task is cancelled, ending the loop.
                guard await wakeIterator.next() != nil else { break }
            }
            group.cancelAll()
        }
    }

    private func perform(_ key: ParentKey, _ sync: @Sendable (ParentKey) async throws -> Duration?) async {
        let result: WorkQueueStateMachine<ContinuousClock.Instant>.Result
        do {
            result = .success(requeueAfter: try await sync(key))
        } catch {
            result = .failure
        }
        let now = clock.now
        state.withLock { _ = $0.finish(key, result: result, now: now) }
        wake.yield()
    }
}
