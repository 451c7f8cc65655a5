import DequeModule
package import RoperatorClient

/// The scheduling rules of the work queue, as a value type with no I/O and no clock of its own:
/// every call gets `now`, so tests drive it step by step.
///
/// Per key the machine tracks one phase:
/// - *idle*: nothing scheduled (the entry is dropped unless a backoff is in progress);
/// - *ready*: in its shard's FIFO, waiting for a free slot;
/// - *delayed*: due at an instant (delayed requeue, resync or backoff retry);
/// - *running*: a sync is in flight; adds only record the earliest instant to run again.
///
/// Rules:
/// - De-duplication: adding a ready key does nothing; adding a running key marks it to run once
///   more after the current sync; adding a delayed key keeps the earlier instant.
/// - One sync per key: a running key is never handed out again until ``finish(_:result:now:)``.
/// - Bounded concurrency: at most `maxConcurrency` keys running.
/// - Backoff: a failure schedules a retry after ``Backoff/delay(attempt:using:)`` for the
///   consecutive failure count; success resets the count. While a key is backing off, `add`
///   does not pull the retry earlier (the retry reads the latest state anyway, so no change is
///   lost, and a flood of events cannot defeat the backoff); ``syncNow(_:now:)`` does, also
///   when called during a sync that then fails. The runtime calls `syncNow` when a parent's
///   `metadata.generation` changes, so a fixed spec is retried at once.
/// - Fairness: ready keys are kept in per-shard FIFOs and shards are served round-robin. A key
///   that keeps being re-added goes to the back of its shard after each sync, and a shard with
///   many keys cannot hold back keys of other shards.
/// - Priority: a key is ready as an ``SyncPriority/event`` (a watch event, a spec change) or as
///   ``SyncPriority/background`` work (the initial list, a relist, a resync or requeue-after, and
///   retries of background syncs). Events go first, so a change made during a long startup
///   backlog is synced within a few handouts; an event for a key waiting as background moves it
///   up. Against starvation, while both kinds wait every
///   ``Configuration/backgroundShare``-th handout is background work.
/// - Urgency: ``syncNow(_:now:)`` (a new spec or a deletion request) puts the key in a FIFO of its
///   own that is served before events and background work, whether the key was idle, delayed or
///   already ready behind a long backlog of events; the background share still applies.
package struct WorkQueueStateMachine<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    package struct Configuration: Sendable {
        var maxConcurrency: Int
        var shardCount: Int
        var backoff: Backoff
        /// While events and background work both wait, one handout in this many is background.
        var backgroundShare: Int

        package init(maxConcurrency: Int = 16, shardCount: Int = 16, backoff: Backoff = .default, backgroundShare: Int = 4) {
            self.maxConcurrency = max(maxConcurrency, 1)
            self.shardCount = max(shardCount, 1)
            self.backoff = backoff
            self.backgroundShare = max(backgroundShare, 1)
        }
    }

    enum Phase: Sendable, Equatable {
        case ready
        case delayed(until: Instant)
        /// `rerunAt`: earliest instant an add during the sync asked for, `nil` when none.
        case running(rerunAt: Instant?)
    }

    /// What a worker should do next.
    package enum Next: Sendable, Equatable {
        /// Sync this key now; report back with ``finish(_:result:now:)``.
        case run(ParentKey)
        /// Nothing can start now. Ask again after `until` (or when woken by an add or finish);
        /// `nil` means only an add or finish can create work.
        case wait(until: Instant?)
    }

    /// The outcome of one sync.
    package enum Result: Sendable, Equatable {
        /// Success; optionally run again after a delay (resync-after, finalize retry-after).
        case success(requeueAfter: Duration?)
        /// Failure; retry with backoff.
        case failure
    }

    private struct Entry: Sendable {
        var phase: Phase?
        var failures: Int = 0
        /// `syncNow` was called while running: run again right after, even after a failure.
        var forceRerun = false
        /// Bumped whenever the key enters `.delayed`, so stale heap entries can be recognised.
        var generation: UInt64 = 0
        /// When the key last became ready (for the queue-duration metric).
        var readySince: Instant?
        /// The class it is ready in (while `.ready`), or will be when its delay or rerun comes.
        var priority: SyncPriority = .background
        /// `syncNow` asked for it: served from the urgent FIFO, ahead of its class, until handed out.
        var urgent = false
    }

    private struct DelayedKey: Sendable {
        var key: ParentKey
        var generation: UInt64
    }

    let configuration: Configuration
    private var entries: [ParentKey: Entry] = [:]
    /// Ready keys by priority (`SyncPriority.rawValue`), then shard. A key moved up to events
    /// stays behind in its background FIFO and is skipped there.
    private var shards: [[Deque<ParentKey>]]
    private var nextShard = [0, 0]
    /// Ready keys per priority (urgent keys not included).
    private var readyCounts = [0, 0]
    /// Keys `syncNow` made urgent, in order; a key may stay behind in its class's FIFO, skipped there.
    private var urgentKeys = Deque<ParentKey>()
    private var urgentCount = 0
    /// Event handouts since the last background one, while background work waited.
    private var eventsInARow = 0
    private var delayed = DeadlineHeap<Instant, DelayedKey>()
    private(set) var runningCount = 0
    /// Keys ready and waiting for a slot.
    var readyCount: Int { readyCounts[0] + readyCounts[1] + urgentCount }
    private var random: any RandomNumberGenerator & Sendable

    package init(configuration: Configuration, random: any RandomNumberGenerator & Sendable = SystemRandomNumberGenerator()) {
        self.configuration = configuration
        self.shards = Array(repeating: Array(repeating: Deque(), count: configuration.shardCount), count: 2)
        self.random = random
    }

    // MARK: Adding work

    /// Schedules `key` to run as soon as possible.
    /// - Returns: whether anything changed (callers wake workers only then).
    @discardableResult
    package mutating func add(_ key: ParentKey, priority: SyncPriority = .event, now: Instant) -> Bool {
        add(key, at: now, priority: priority, now: now)
    }

    /// Schedules `key` to run after `delay`; the earliest request wins.
    @discardableResult
    mutating func add(_ key: ParentKey, after delay: Duration, priority: SyncPriority = .event, now: Instant) -> Bool {
        add(key, at: now.advanced(by: max(delay, .zero)), priority: priority, now: now)
    }

    /// Schedules `key` to run at `instant` (or now, if that has passed); the earliest request wins,
    /// and an event moves a key waiting as background work up.
    @discardableResult
    mutating func add(_ key: ParentKey, at instant: Instant, priority: SyncPriority = .event, now: Instant) -> Bool {
        var entry = entries[key] ?? Entry()
        defer { entries[key] = entry }
        switch entry.phase {
        case nil:
            entry.priority = priority
            schedule(key, &entry, at: instant, now: now)
            return true
        case .ready:
            guard priority == .event, entry.priority == .background, !entry.urgent else { return false }
            moveUp(key, &entry)
            return true
        case .delayed(let until):
            // A backoff retry is only moved earlier by syncNow.
            guard entry.failures == 0, instant < until else {
                if priority == .event, entry.priority == .background, entry.failures == 0 { entry.priority = .event }
                return false
            }
            entry.priority = min(entry.priority, priority)
            schedule(key, &entry, at: instant, now: now)
            return true
        case .running(let rerunAt):
            if let rerunAt, rerunAt <= instant {
                guard priority == .event, entry.priority == .background else { return false }
                entry.priority = .event
                return true
            }
            entry.priority = rerunAt == nil ? priority : min(entry.priority, priority)
            entry.phase = .running(rerunAt: instant)
            return true
        }
    }

    /// Moves a key ready as background work to the events (back of its shard).
    private mutating func moveUp(_ key: ParentKey, _ entry: inout Entry) {
        readyCounts[SyncPriority.background.rawValue] -= 1
        readyCounts[SyncPriority.event.rawValue] += 1
        entry.priority = .event
        shards[SyncPriority.event.rawValue][shard(of: key)].append(key)
    }

    /// Runs `key` as soon as a slot is free, ahead of every key not asked for this way, ignoring
    /// any delay or backoff; a running key runs again right after its current sync.
    @discardableResult
    mutating func syncNow(_ key: ParentKey, now: Instant) -> Bool {
        var entry = entries[key] ?? Entry()
        defer { entries[key] = entry }
        switch entry.phase {
        case .ready:
            guard !entry.urgent else { return false }
            // It stays behind in its class's FIFO, where `take` skips it.
            readyCounts[entry.priority.rawValue] -= 1
            entry.priority = .event
            makeUrgent(key, &entry)
            return true
        case nil, .delayed:
            entry.phase = .ready
            entry.readySince = now
            entry.priority = .event
            makeUrgent(key, &entry)
            return true
        case .running:
            entry.phase = .running(rerunAt: now)
            entry.priority = .event
            entry.forceRerun = true
            entry.urgent = true
            return true
        }
    }

    private mutating func makeUrgent(_ key: ParentKey, _ entry: inout Entry) {
        entry.urgent = true
        urgentKeys.append(key)
        urgentCount += 1
    }

    /// Clears the failure count of `key` (for example when its parent was deleted).
    mutating func forget(_ key: ParentKey) {
        guard var entry = entries[key] else { return }
        entry.failures = 0
        entries[key] = entry.phase == nil ? nil : entry
    }

    // MARK: Handing out work

    /// The next key to run, or how long to wait. Call repeatedly until it returns `.wait`.
    package mutating func next(now: Instant) -> Next {
        nextTimed(now: now).next
    }

    /// Like ``next(now:)``, plus how long a key handed out waited in the ready state.
    mutating func nextTimed(now: Instant) -> (next: Next, waited: Duration?) {
        promoteDue(now: now)
        guard runningCount < configuration.maxConcurrency, readyCount > 0 else {
            return (.wait(until: runningCount < configuration.maxConcurrency ? nextDeadline() : nil), nil)
        }
        let events = readyCounts[SyncPriority.event.rawValue]
        let background = readyCounts[SyncPriority.background.rawValue]
        let backgroundsTurn = background > 0 && eventsInARow + 1 >= configuration.backgroundShare
        let key: ParentKey
        if urgentCount > 0, !backgroundsTurn {
            key = takeUrgent()
            urgentCount -= 1
            eventsInARow = background > 0 ? eventsInARow + 1 : 0
        } else {
            let priority: SyncPriority = (events > 0 && !backgroundsTurn) || background == 0 ? .event : .background
            eventsInARow = priority == .event && background > 0 ? eventsInARow + 1 : 0
            key = take(priority)
            readyCounts[priority.rawValue] -= 1
        }
        entries[key]?.urgent = false
        // `now` may be a little older than a key that became ready on another thread meanwhile:
        // that key waited no time (a negative wait would also break the histogram's sum).
        let waited = entries[key]?.readySince.map { max(.zero, $0.duration(to: now)) }
        entries[key]?.phase = .running(rerunAt: nil)
        entries[key]?.readySince = nil
        runningCount += 1
        return (.run(key), waited)
    }

    /// The next key ready as `priority`, shards served round-robin; skips keys left behind in a
    /// background FIFO when they moved up.
    private mutating func take(_ priority: SyncPriority) -> ParentKey {
        let p = priority.rawValue
        let count = shards[p].count
        while true {
            var found: ParentKey?
            for offset in 0..<count {
                let index = (nextShard[p] + offset) % count
                guard let key = shards[p][index].popFirst() else { continue }
                nextShard[p] = (index + 1) % count
                found = key
                break
            }
            guard let key = found else { preconditionFailure("\(readyCounts[p]) keys ready as \(priority) but every shard is empty") }
            if let entry = entries[key], entry.phase == .ready, entry.priority == priority, !entry.urgent { return key }
        }
    }

    /// The oldest urgent key still ready and urgent.
    private mutating func takeUrgent() -> ParentKey {
        while let key = urgentKeys.popFirst() {
            if let entry = entries[key], entry.phase == .ready, entry.urgent { return key }
        }
        preconditionFailure("\(urgentCount) keys urgent but the urgent FIFO is empty")
    }

    /// Records the end of a sync of `key` handed out by ``next(now:)``.
    /// - Returns: the backoff delay scheduled after a failure, `nil` otherwise.
    @discardableResult
    package mutating func finish(_ key: ParentKey, result: Result, now: Instant) -> Duration? {
        guard var entry = entries[key], case .running(let rerunAt) = entry.phase else {
            preconditionFailure("finish(\(key)) for a key that is not running")
        }
        runningCount -= 1
        entry.phase = nil
        let forced = entry.forceRerun
        entry.forceRerun = false
        var backoffDelay: Duration?
        var runAt: Instant?
        switch result {
        case .success(let requeueAfter):
            entry.failures = 0
            runAt = rerunAt
            if rerunAt == nil { entry.priority = .background }
            if let requeueAfter {
                let requeueAt = now.advanced(by: max(requeueAfter, .zero))
                // A resync is background work, unless an event asked for a rerun by then.
                if let rerunAt, rerunAt <= requeueAt {} else { entry.priority = .background }
                runAt = runAt.map { min($0, requeueAt) } ?? requeueAt
            }
        case .failure:
            entry.failures += 1
            let delay = configuration.backoff.delay(attempt: entry.failures, using: &random)
            backoffDelay = delay
            runAt = forced ? now : now.advanced(by: delay)
        }
        if let runAt {
            schedule(key, &entry, at: runAt, now: now)
        }
        entries[key] = (entry.phase == nil && entry.failures == 0) ? nil : entry
        return backoffDelay
    }

    // MARK: Introspection (metrics and tests)

    /// The phase of `key`, `nil` when idle.
    func phase(of key: ParentKey) -> Phase? { entries[key]?.phase }

    /// Consecutive failures of `key`.
    func failures(of key: ParentKey) -> Int { entries[key]?.failures ?? 0 }

    /// Number of keys with any state (scheduled, running or backing off).
    var trackedKeyCount: Int { entries.count }

    /// Keys waiting for a delay.
    var delayedCount: Int { entries.values.count(where: { if case .delayed = $0.phase { true } else { false } }) }

    /// The shard `key` belongs to.
    func shard(of key: ParentKey) -> Int { Int(key.stableHash % UInt64(configuration.shardCount)) }

    // MARK: Internals

    private mutating func schedule(_ key: ParentKey, _ entry: inout Entry, at instant: Instant, now: Instant) {
        if instant <= now {
            entry.phase = .ready
            entry.readySince = now
            enqueueReady(key, &entry)
        } else {
            entry.generation &+= 1
            entry.phase = .delayed(until: instant)
            delayed.insert(DelayedKey(key: key, generation: entry.generation), at: instant)
        }
    }

    /// Puts a key that became ready in the FIFO it is served from.
    private mutating func enqueueReady(_ key: ParentKey, _ entry: inout Entry) {
        if entry.urgent {
            urgentKeys.append(key)
            urgentCount += 1
        } else {
            shards[entry.priority.rawValue][shard(of: key)].append(key)
            readyCounts[entry.priority.rawValue] += 1
        }
    }

    private mutating func promoteDue(now: Instant) {
        while let first = delayed.first, first.deadline <= now {
            delayed.removeFirst()
            let key = first.element.key
            guard var entry = entries[key], isCurrent(first, entry) else { continue }
            entry.phase = .ready
            entry.readySince = first.deadline
            enqueueReady(key, &entry)
            entries[key] = entry
        }
    }

    private mutating func nextDeadline() -> Instant? {
        while let first = delayed.first {
            if let entry = entries[first.element.key], isCurrent(first, entry) { return first.deadline }
            delayed.removeFirst()
        }
        return nil
    }

    private func isCurrent(_ heapEntry: DeadlineHeap<Instant, DelayedKey>.Entry, _ entry: Entry) -> Bool {
        guard case .delayed(let until) = entry.phase else { return false }
        return entry.generation == heapEntry.element.generation && until == heapEntry.deadline
    }
}
