import RoperatorTesting
import Testing
@testable import Roperator

@Suite struct WorkQueueStateMachineTests {
    typealias Machine = WorkQueueStateMachine<ContinuousClock.Instant>
    let t0 = ContinuousClock.now

    func machine(
        concurrency: Int = 4, shards: Int = 4,
        backoff: Backoff = Backoff(
            initial: .seconds(1), max: .seconds(8), multiplier: 2, jitter: 0)
    ) -> Machine {
        Machine(
            configuration: .init(maxConcurrency: concurrency, shardCount: shards, backoff: backoff),
            random: SeededRandomNumberGenerator(seed: 1))
    }

    func key(_ name: String, _ namespace: String? = "default") -> ParentKey {
        ParentKey(namespace: namespace, name: name)
    }

    /// Drains every key that can run at `now`.
    func drain(_ m: inout Machine, now: ContinuousClock.Instant) -> [ParentKey] {
        var keys: [ParentKey] = []
        while case .run(let k) = m.next(now: now) { keys.append(k) }
        return keys
    }

    @Test func timeWaitedIsNeverNegative() {
        var m = machine()
        m.add(key("a"), now: t0 + .seconds(2))
        m.add(key("b"), now: t0)
        // The runner read its clock before "a" was added on another thread.
        var waits: [ParentKey: Duration] = [:]
        for _ in 0..<2 {
            let (next, waited) = m.nextTimed(now: t0 + .seconds(1))
            guard case .run(let k) = next else { Issue.record("expected a key to run"); return }
            waits[k] = waited
        }
        #expect(waits[key("a")] == .zero)
        #expect(waits[key("b")] == .seconds(1))
    }

    @Test func addWhileQueuedIsNoOp() {
        var m = machine()
        do { let changed = m.add(key("a"), now: t0); #expect(changed) }
        do { let changed = m.add(key("a"), now: t0); #expect(!changed) }
        #expect(m.readyCount == 1)
        #expect(drain(&m, now: t0) == [key("a")])
    }

    @Test func addWhileRunningRunsOnceMoreAfterwards() {
        var m = machine()
        m.add(key("a"), now: t0)
        #expect(m.next(now: t0) == .run(key("a")))
        do { let changed = m.add(key("a"), now: t0); #expect(changed) }
        m.add(key("a"), now: t0)
        // Never handed out twice while running.
        #expect(m.next(now: t0) == .wait(until: nil))
        m.finish(key("a"), result: .success(requeueAfter: nil), now: t0)
        #expect(drain(&m, now: t0) == [key("a")])
        m.finish(key("a"), result: .success(requeueAfter: nil), now: t0)
        #expect(m.next(now: t0) == .wait(until: nil))
        #expect(m.trackedKeyCount == 0)
    }

    @Test func concurrencyBoundRespected() {
        var m = machine(concurrency: 3)
        for i in 0..<10 { m.add(key("k\(i)"), now: t0) }
        let first = drain(&m, now: t0)
        #expect(first.count == 3)
        #expect(m.runningCount == 3)
        m.finish(first[0], result: .success(requeueAfter: nil), now: t0)
        #expect(drain(&m, now: t0).count == 1)
        #expect(m.runningCount == 3)
        #expect(m.readyCount == 6)
    }

    @Test func delayedRequeueOrderingAndEarliestWins() {
        // One shard: keys due together then leave in deadline order (with several shards the
        // round-robin across shards decides).
        var m = machine(shards: 1)
        m.add(key("late"), after: .seconds(3), now: t0)
        m.add(key("early"), after: .seconds(1), now: t0)
        m.add(key("moved"), after: .seconds(5), now: t0)
        m.add(key("moved"), after: .seconds(2), now: t0) // earlier wins
        m.add(key("late"), after: .seconds(10), now: t0) // later is ignored
        #expect(m.next(now: t0) == .wait(until: t0 + .seconds(1)))
        #expect(drain(&m, now: t0 + .milliseconds(999)).isEmpty)
        #expect(drain(&m, now: t0 + .seconds(1)) == [key("early")])
        #expect(m.next(now: t0 + .seconds(1)) == .wait(until: t0 + .seconds(2)))
        #expect(drain(&m, now: t0 + .seconds(3)) == [key("moved"), key("late")])
    }

    @Test func immediateAddOverridesPendingDelay() {
        var m = machine()
        m.add(key("a"), after: .seconds(60), now: t0)
        m.add(key("a"), now: t0)
        #expect(drain(&m, now: t0) == [key("a")])
        m.finish(key("a"), result: .success(requeueAfter: nil), now: t0)
        // The stale delayed entry must not fire again.
        #expect(drain(&m, now: t0 + .seconds(61)).isEmpty)
    }

    @Test func requeueAfterOnSuccess() {
        var m = machine()
        m.add(key("a"), now: t0)
        _ = drain(&m, now: t0)
        m.finish(key("a"), result: .success(requeueAfter: .seconds(30)), now: t0)
        #expect(m.next(now: t0) == .wait(until: t0 + .seconds(30)))
        #expect(drain(&m, now: t0 + .seconds(30)) == [key("a")])
    }

    @Test func backoffGrowsAndResetsOnSuccess() {
        var m = machine()
        let a = key("a")
        m.add(a, now: t0)
        var now = t0
        var delays: [Duration] = []
        for _ in 0..<5 {
            #expect(drain(&m, now: now) == [a])
            delays.append(m.finish(a, result: .failure, now: now)!)
            guard case .wait(let until?) = m.next(now: now) else {
                Issue.record("expected a retry deadline")
                return
            }
            now = until
        }
        #expect(delays == [.seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(8)])
        #expect(m.failures(of: a) == 5)
        #expect(drain(&m, now: now) == [a])
        #expect(m.finish(a, result: .success(requeueAfter: nil), now: now) == nil)
        #expect(m.failures(of: a) == 0)
        m.add(a, now: now)
        _ = drain(&m, now: now)
        #expect(m.finish(a, result: .failure, now: now) == .seconds(1))
    }

    @Test func addDoesNotShortenBackoffButSyncNowDoes() {
        var m = machine()
        let a = key("a")
        m.add(a, now: t0)
        _ = drain(&m, now: t0)
        m.finish(a, result: .failure, now: t0) // retry at t0+1s
        do { let changed = m.add(a, now: t0); #expect(!changed) }
        #expect(drain(&m, now: t0).isEmpty)
        do { let changed = m.syncNow(a, now: t0); #expect(changed) }
        #expect(drain(&m, now: t0) == [a])
        #expect(m.failures(of: a) == 1)
    }

    @Test func syncNowBypassesDelayAndJumpsTheLine() {
        var m = machine(concurrency: 1, shards: 1)
        for i in 0..<5 { m.add(key("k\(i)"), now: t0) }
        m.add(key("urgent"), after: .seconds(100), now: t0)
        m.syncNow(key("urgent"), now: t0)
        #expect(m.next(now: t0) == .run(key("urgent")))
        // A running key asked to sync now runs again right after.
        m.syncNow(key("urgent"), now: t0)
        m.finish(key("urgent"), result: .success(requeueAfter: nil), now: t0)
        #expect(m.phase(of: key("urgent")) == .ready)
    }

    @Test("events go ahead of a background backlog, which still gets one handout in four")
    func eventsBeforeBackgroundWithoutStarvation() {
        var m = machine(concurrency: 1, shards: 4)
        let backlog = (0..<20).map { key("listed\($0)") }
        for k in backlog { m.add(k, priority: .background, now: t0) }
        let events = (0..<6).map { key("changed\($0)") }
        for k in events { m.add(k, now: t0) }
        var ran: [ParentKey] = []
        while case .run(let k) = m.next(now: t0) {
            ran.append(k)
            m.finish(k, result: .success(requeueAfter: nil), now: t0)
        }
        #expect(ran.count == 26)
        // Six events with three background handouts between them (every fourth).
        let firstEight = Array(ran.prefix(8))
        #expect(firstEight.filter(events.contains).count == 6)
        #expect(firstEight.filter(backlog.contains).count == 2)
        #expect(Set(ran) == Set(backlog + events))
    }

    @Test("an event moves a key waiting as background up; syncNow does too, to the front")
    func eventMovesBackgroundKeyUp() {
        var m = machine(concurrency: 1, shards: 1)
        for i in 0..<10 { m.add(key("b\(i)"), priority: .background, now: t0) }
        let again = m.add(key("b5"), priority: .background, now: t0)
        #expect(!again, "already waiting")
        let movedUp = m.add(key("b9"), now: t0)
        #expect(movedUp, "an event moves it up")
        #expect(m.readyCount == 10)
        guard case .run(let first) = m.next(now: t0) else { Issue.record("nothing ran"); return }
        #expect(first == key("b9"))
        m.finish(first, result: .success(requeueAfter: nil), now: t0)
        let jumped = m.syncNow(key("b7"), now: t0)
        #expect(jumped)
        guard case .run(let second) = m.next(now: t0) else { Issue.record("nothing ran"); return }
        #expect(second == key("b7"))
        m.finish(second, result: .success(requeueAfter: nil), now: t0)
        // The rest in list order, each once (the copies left behind are skipped).
        let rest = drainFinishing(&m)
        #expect(rest == ["b0", "b1", "b2", "b3", "b4", "b5", "b6", "b8"].map { key($0) })
        #expect(m.readyCount == 0)
    }

    @Test("syncNow of a key already waiting as an event behind a backlog serves it next, urgent keys in order, each once")
    func syncNowOvertakesAnEventBacklog() {
        var m = machine(concurrency: 1, shards: 4)
        let backlog = (0..<40).map { key("new\($0)") }
        for k in backlog { m.add(k, now: t0) }
        // Two parents whose spec changed while their own child events had them waiting at the back.
        let first = m.syncNow(key("new30"), now: t0)
        let second = m.syncNow(key("new35"), now: t0)
        let again = m.syncNow(key("new30"), now: t0)
        #expect(first && second)
        #expect(!again, "already urgent")
        #expect(m.readyCount == 40)
        let ran = drainFinishing(&m)
        #expect(Array(ran.prefix(2)) == [key("new30"), key("new35")])
        #expect(ran.count == 40 && Set(ran) == Set(backlog), "every key once; the copies left behind are skipped")
        #expect(m.readyCount == 0)
    }

    @Test("urgent keys still leave background work one handout in four")
    func urgentKeysKeepTheBackgroundShare() {
        var m = machine(concurrency: 1, shards: 1)
        for i in 0..<4 { m.add(key("listed\(i)"), priority: .background, now: t0) }
        for i in 0..<8 { m.syncNow(key("urgent\(i)"), now: t0) }
        let ran = drainFinishing(&m).map(\.name)
        #expect(Array(ran.prefix(4)) == ["urgent0", "urgent1", "urgent2", "listed0"])
        #expect(ran.count == 12)
    }

    @Test("a resync after success is background work; an event during the sync keeps it an event")
    func resyncIsBackground() {
        var m = machine(concurrency: 1, shards: 1)
        m.add(key("a"), now: t0)
        m.add(key("z"), priority: .background, now: t0)
        guard case .run(let a) = m.next(now: t0) else { Issue.record("nothing ran"); return }
        #expect(a == key("a"))
        m.finish(a, result: .success(requeueAfter: .zero), now: t0)
        // "a" is background now, behind "z".
        #expect(drainFinishing(&m) == [key("z"), key("a")])
        m.add(key("a"), now: t0)
        guard case .run = m.next(now: t0) else { Issue.record("nothing ran"); return }
        m.add(key("a"), now: t0) // an event while running
        m.add(key("y"), priority: .background, now: t0)
        m.finish(key("a"), result: .success(requeueAfter: .zero), now: t0)
        #expect(drainFinishing(&m) == [key("a"), key("y")])
    }

    /// Runs and finishes (successfully) every key that can run at `t0`, in order.
    func drainFinishing(_ m: inout Machine) -> [ParentKey] {
        var keys: [ParentKey] = []
        while case .run(let k) = m.next(now: t0) {
            keys.append(k)
            m.finish(k, result: .success(requeueAfter: nil), now: t0)
        }
        return keys
    }

    @Test func hotKeyCannotStarveOthers() {
        var m = machine(concurrency: 1, shards: 1)
        let hot = key("hot")
        let others = (0..<5).map { key("other\($0)") }
        m.add(hot, now: t0)
        for k in others { m.add(k, now: t0) }
        var ran: [ParentKey] = []
        for _ in 0..<12 {
            guard case .run(let k) = m.next(now: t0) else { break }
            ran.append(k)
            m.add(hot, now: t0) // re-added constantly, also while running
            m.finish(k, result: .success(requeueAfter: nil), now: t0)
        }
        for k in others { #expect(ran.contains(k), "\(k) starved") }
        // Every other key ran before the hot key ran a third time.
        let thirdHot = ran.indices.filter { ran[$0] == hot }[2]
        #expect(Set(ran[..<thirdHot]).isSuperset(of: others))
    }

    @Test func shardsAreServedRoundRobin() {
        var m = machine(concurrency: 1, shards: 4)
        // Put many keys in one shard and one key in another.
        let all = (0..<200).map { key("k\($0)") }
        let crowdedShard = m.shard(of: all[0])
        let crowded = all.filter { m.shard(of: $0) == crowdedShard }.prefix(20)
        let lonely = all.first { m.shard(of: $0) != crowdedShard }!
        for k in crowded { m.add(k, now: t0) }
        m.add(lonely, now: t0)
        var order: [ParentKey] = []
        for _ in 0..<3 {
            guard case .run(let k) = m.next(now: t0) else { break }
            order.append(k)
            m.finish(k, result: .success(requeueAfter: nil), now: t0)
        }
        #expect(order.prefix(2).contains(lonely))
    }

    @Test func syncNowDuringFailingSyncSkipsBackoff() {
        var m = machine()
        let a = key("a")
        m.add(a, now: t0)
        _ = drain(&m, now: t0)
        m.add(a, now: t0) // plain add: the backoff would win
        m.syncNow(a, now: t0) // explicit request: run right after
        m.finish(a, result: .failure, now: t0)
        #expect(m.failures(of: a) == 1)
        #expect(drain(&m, now: t0) == [a])
        // The flag is consumed: the next failure backs off again.
        m.finish(a, result: .failure, now: t0)
        #expect(drain(&m, now: t0).isEmpty)
        #expect(m.phase(of: a) == .delayed(until: t0 + .seconds(2)))
    }

    @Test func forgetClearsFailures() {
        var m = machine()
        let a = key("a")
        m.add(a, now: t0)
        _ = drain(&m, now: t0)
        m.finish(a, result: .failure, now: t0)
        m.forget(a)
        #expect(m.failures(of: a) == 0)
        // Now a plain add may pull the retry earlier.
        do { let changed = m.add(a, now: t0); #expect(changed) }
        #expect(drain(&m, now: t0) == [a])
    }
}
