import RoperatorClient

/// The sharded work queue of an operator: decides which parent is synced when, and runs the syncs.
///
/// The rules (de-duplication, one sync per parent at a time, bounded concurrency, delayed
/// requeue, backoff, fairness, events before background work with one handout in four kept for
/// the background while both wait) live in `WorkQueueStateMachine`; this class only adds a lock, a
/// clock and the tasks. Producers (the event triggers, timers) call ``add(_:)``,
/// ``add(_:after:)`` and ``syncNow(_:)`` from any task; ``run(_:)`` hands keys to the sync
/// closure.
///
/// The queue keeps scheduling only. What a sync of one parent remembers (the status it wrote, its
/// children expectations, its last error) lives in that parent's `ParentReconciler` actor. One
/// lock around O(1)/O(log n) bookkeeping costs far less than an actor hop per event for tens of
/// thousands of parents, and it lets the queue see every key at once, which fairness and the
/// concurrency bound need.
///
/// ```swift
/// let queue = WorkQueue(concurrency: 16, backoff: .default)
/// queue.add(ParentKey(namespace: "default", name: "web"))
/// await queue.run { key in
///     try await reconcile(key)      // .done, .requeue(after:), or .terminal
/// }
/// ```
public final class WorkQueue: Sendable {
    private struct Locked {
        var machine: WorkQueueStateMachine<SchedulingClock.Instant>
        /// Opened when no sync runs any more (graceful shutdown waits on them).
        var idleWaiters: [Latch] = []
        /// When each running sync started (only with metrics).
        var runningSince: [ParentKey: SchedulingClock.Instant] = [:]
    }

    /// What the state gauges of ``WorkQueueMetrics`` read at a scrape.
    struct MetricsSnapshot: Sendable {
        var ready: Int
        var running: Int
        var longestRunning: Duration
        var unfinishedWork: Duration
    }

    private let state: Lock<Locked>
    private let clock: SchedulingClock
    private let wake = WakeSignal()
    private let running = Lock(false)
    private let metrics: WorkQueueMetrics?

    /// - Parameters:
    ///   - concurrency: Most syncs running at once; default 16.
    ///   - shards: Number of ready FIFOs served round-robin; default 16.
    ///   - backoff: Retry delays after failures; default ``Backoff/default``.
    ///   - clock: The clock delays and backoff are measured on; default `ContinuousClock()`
    ///     (tests pass a manual clock).
    public convenience init(
        concurrency: Int = 16, shards: Int = 16, backoff: Backoff = .default,
        clock: any Clock<Duration> = ContinuousClock()
    ) {
        self.init(
            configuration: .init(maxConcurrency: concurrency, shardCount: shards, backoff: backoff),
            clock: SchedulingClock(clock), random: SystemRandomNumberGenerator())
    }

    init(
        configuration: WorkQueueStateMachine<SchedulingClock.Instant>.Configuration,
        clock: SchedulingClock = .continuous,
        random: any RandomNumberGenerator & Sendable,
        metrics: WorkQueueMetrics? = nil
    ) {
        self.clock = clock
        self.metrics = metrics
        state = Lock(Locked(machine: WorkQueueStateMachine(configuration: configuration, random: random)))
    }

    /// Schedules a sync of `key` as soon as possible (a no-op when one is already waiting, except
    /// that an ``SyncPriority/event`` moves a key waiting as background work up).
    public func add(_ key: ParentKey, priority: SyncPriority = .event) {
        let now = clock.now
        if state.withLock({ $0.machine.add(key, priority: priority, now: now) }) { added() }
    }

    /// Schedules a sync of `key` after `delay`; when one is already scheduled the earlier wins.
    public func add(_ key: ParentKey, after delay: Duration, priority: SyncPriority = .event) {
        let now = clock.now
        if state.withLock({ $0.machine.add(key, after: delay, priority: priority, now: now) }) { added() }
    }

    /// Syncs `key` as soon as a slot is free, skipping any delay or backoff.
    public func syncNow(_ key: ParentKey) {
        let now = clock.now
        if state.withLock({ $0.machine.syncNow(key, now: now) }) { added() }
    }

    private func added() {
        metrics?.adds.increment()
        wake.signal()
    }

    /// Clears the failure count of `key`, so its next sync is not held back by an old backoff
    /// (the runtime calls it when a parent is deleted).
    public func forget(_ key: ParentKey) {
        state.withLock { $0.machine.forget(key) }
    }

    /// Number of syncs running now.
    public var runningCount: Int { state.withLock { $0.machine.runningCount } }

    /// Number of keys ready and waiting for a slot.
    public var readyCount: Int { state.withLock { $0.machine.readyCount } }

    /// Consecutive failures of `key`.
    public func failures(of key: ParentKey) -> Int { state.withLock { $0.machine.failures(of: key) } }

    /// Whether `key` has nothing scheduled, running or backing off.
    public func isIdle(_ key: ParentKey) -> Bool {
        state.withLock { $0.machine.phase(of: key) == nil && $0.machine.failures(of: key) == 0 }
    }

    /// Whether `key` is running and an add during its sync asked for another run.
    func isRerunRequested(_ key: ParentKey) -> Bool {
        state.withLock { locked in
            guard case .running(rerunAt: .some) = locked.machine.phase(of: key) else { return false }
            return true
        }
    }

    /// The phase of `key` (tests).
    func phase(of key: ParentKey) -> WorkQueueStateMachine<SchedulingClock.Instant>.Phase? {
        state.withLock { $0.machine.phase(of: key) }
    }

    /// The queue's state for the metrics gauges.
    func metricsSnapshot() -> MetricsSnapshot {
        let now = clock.now
        return state.withLock { locked in
            let ages = locked.runningSince.values.map { $0.duration(to: now) }
            return MetricsSnapshot(
                ready: locked.machine.readyCount, running: locked.machine.runningCount,
                longestRunning: ages.max() ?? .zero, unfinishedWork: ages.reduce(.zero, +))
        }
    }

    /// Returns once no sync is running (at once when none is).
    ///
    /// - Throws: `CancellationError` when the calling task is cancelled first.
    func waitUntilNothingRuns() async throws {
        let latch = Latch()
        let idle = state.withLock { locked -> Bool in
            if locked.machine.runningCount == 0 { return true }
            locked.idleWaiters.append(latch)
            return false
        }
        if idle { return }
        try await latch.wait()
    }

    /// Runs syncs until the calling task is cancelled, then cancels the syncs in flight and
    /// returns once every one of them has finished. The queue can run again afterwards (keys
    /// added meanwhile are kept); two runs at once are a programming error.
    ///
    /// - Parameter sync: Syncs one parent and says when to sync it again. A thrown error
    ///   schedules a retry with backoff; it never stops the queue.
    public func run(_ sync: @escaping @Sendable (ParentKey) async throws -> ReconcileOutcome) async {
        let alreadyRunning = running.withLock { running in
            defer { running = true }
            return running
        }
        precondition(!alreadyRunning, "WorkQueue.run called while the queue is already running")
        defer { running.withLock { $0 = false } }
        await withDiscardingTaskGroup { group in
            var timerDeadline: SchedulingClock.Instant?
            while !Task.isCancelled {
                let now = clock.now
                if let deadline = timerDeadline, deadline <= now { timerDeadline = nil }
                var waitUntil: SchedulingClock.Instant?
                while true {
                    let (next, waited) = state.withLock { locked in
                        let handed = locked.machine.nextTimed(now: now)
                        if metrics != nil, case .run(let key) = handed.next { locked.runningSince[key] = now }
                        return handed
                    }
                    if let waited { metrics?.queueDuration.record(waited) }
                    switch next {
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
                        if (try? await clock.sleep(until: waitUntil)) != nil { wake.signal() }
                    }
                }
                // Returns at once when cancelled; the loop condition then ends the run.
                await wake.wait()
            }
            group.cancelAll()
        }
    }

    /// Runs the sync of `first`, then, as long as keys are ready, the next one the state machine
    /// hands out, in the same task: a backlog costs no task and no wake-up of the dispatching loop
    /// per sync. The loop is woken when this task ends (nothing ready: it may need a timer) and
    /// whenever capacity is left after taking a key (it may start more or arm a timer). At full
    /// capacity it has nothing to do: every slot is a task like this one, which takes the next
    /// ready or due key itself.
    private func perform(_ first: ParentKey, _ sync: @Sendable (ParentKey) async throws -> ReconcileOutcome) async {
        var key = first
        while true {
            let result: WorkQueueStateMachine<SchedulingClock.Instant>.Result
            do {
                switch try await sync(key) {
                case .done, .terminal: result = .success(requeueAfter: nil)
                case .requeue(let delay): result = .success(requeueAfter: delay)
                }
            } catch {
                result = .failure
            }
            let now = clock.now
            let goOn = !Task.isCancelled
            let (idle, started, next, waited, spare) = state.withLock { locked in
                _ = locked.machine.finish(key, result: result, now: now)
                let started = locked.runningSince.removeValue(forKey: key)
                var idle: [Latch] = []
                if locked.machine.runningCount == 0 {
                    idle = locked.idleWaiters
                    locked.idleWaiters = []
                }
                guard goOn else { return (idle, started, ParentKey?.none, Duration?.none, true) }
                let handed = locked.machine.nextTimed(now: now)
                guard case .run(let next) = handed.next else { return (idle, started, nil, nil, true) }
                if metrics != nil { locked.runningSince[next] = now }
                let spare = locked.machine.runningCount < locked.machine.configuration.maxConcurrency
                return (idle, started, next, handed.waited, spare)
            }
            if let metrics {
                if let started { metrics.workDuration.record(max(.zero, started.duration(to: now))) }
                if result == .failure { metrics.retries.increment() }
                if let waited { metrics.queueDuration.record(waited) }
            }
            for latch in idle { latch.open() }
            if spare { wake.signal() }
            guard let next else { return }
            key = next
        }
    }
}
