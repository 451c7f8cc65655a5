import Logging
import RoperatorClient

/// Runs one replica's membership of a sharded operator: holds its member Lease (through a
/// ``LeaderElector`` on a Lease of its own, so renewal, the renew deadline and the release on
/// shutdown are the leader election's), lists the other members' Leases every `retryPeriod`,
/// keeps the ``ShardState`` current, and tells the parent informer which share to watch.
final class ShardCoordinator: Sendable {
    let config: ShardingConfig
    let operatorName: String
    let identity: String
    let namespace: String
    let elector: LeaderElector
    private let client: KubeClient
    private let logger: Logger
    private let clock: SchedulingClock
    private let metrics: OperatorMetrics
    /// The gate's state, in a box of its own so the Lease hooks can hold it.
    private let box: StateBox
    private let membership = Lock(ShardMembership())
    /// The share to cache, newest only, for a parent informer following it (server-side selection).
    let selectors: AsyncStream<ShardSelector>
    private let selectorSink: AsyncStream<ShardSelector>.Continuation
    /// Called when the gate opens again: with the ring it was last open under (`nil` at the
    /// start) and the ring now, to queue the cached parents gained.
    private let settledHandler = Lock<(@Sendable (HashRing?, HashRing) -> Void)?>(nil)
    /// The version the gate is open under; `nil` while it is shut.
    private let lastSettled = Lock<String?>(nil)
    /// The ring the gate was last open under.
    private let previousSettled = Lock<HashRing?>(nil)
    /// Parents the gate turned away as another member's (they may come back to us).
    private let turnedAway = Lock<Set<ParentKey>>([])

    init(
        config: ShardingConfig, operatorName: String, client: KubeClient, logger: Logger, clock: any Clock<Duration>,
        metrics: OperatorMetrics
    ) {
        let identity = config.identity ?? LeaderElector.defaultIdentity()
        self.config = config
        self.operatorName = operatorName
        self.identity = identity
        self.namespace = config.leaseNamespace ?? client.configuration.namespace
        self.client = client
        var logger = logger
        logger[metadataKey: "shardIdentity"] = "\(identity)"
        self.logger = logger
        let schedulingClock = SchedulingClock(clock)
        self.clock = schedulingClock
        self.metrics = metrics
        let box = StateBox(ShardState(identity: identity, virtualNodes: config.virtualNodes, renewDeadline: config.renewDeadline))
        self.box = box
        let stream = AsyncStream.makeStream(of: ShardSelector.self, bufferingPolicy: .bufferingNewest(1))
        selectors = stream.stream
        selectorSink = stream.continuation
        let hooks = LeaseWriteHooks(
            decorate: { lease in
                lease.labels[ShardingConfig.memberLabel] = operatorName
                let toWrite = box.state.withLock { $0.versionToWrite() }
                var annotations = lease.annotations
                annotations[ShardingConfig.ringAnnotation] = toWrite?.version ?? ""
                annotations[ShardingConfig.membersAnnotation] = toWrite?.members.joined(separator: ",") ?? ""
                lease.annotations = annotations
            },
            written: { lease, started in
                let version = lease.annotations[ShardingConfig.ringAnnotation]
                box.state.withLock { $0.written(version: version, started: started, now: schedulingClock.now) }
            })
        self.elector = LeaderElector(
            config: config.memberLease(operatorName: operatorName, identity: identity), client: client, logger: logger,
            clock: clock, hooks: hooks)
    }

    /// Registers what to do when this replica becomes settled under a new ring.
    func onSettled(_ handler: @escaping @Sendable (_ previous: HashRing?, _ current: HashRing) -> Void) {
        settledHandler.withLock { $0 = handler }
    }

    /// Remembers a parent the gate turned away, to queue it again if the ring gives it back.
    func turnedAway(_ key: ParentKey) {
        _ = turnedAway.withLock { $0.insert(key) }
    }

    /// The parents turned away since the last call.
    func takeTurnedAway() -> Set<ParentKey> {
        turnedAway.withLock { keys in
            defer { keys = [] }
            return keys
        }
    }

    // MARK: The gate

    /// Whether the sync of the parent with `uid` may start now; `.start` records it as running
    /// until ``end(uid:)``.
    func begin(uid: String) -> ShardState.Decision {
        let now = clock.now
        return box.state.withLock { $0.begin(uid: uid, at: now) }
    }

    /// A sync that ``begin(uid:)`` allowed has ended.
    func end(uid: String) {
        box.state.withLock { $0.end(uid: uid) }
    }

    /// Whether the parent with `uid` belongs to this replica under the ring it computes now.
    func owns(uid: String) -> Bool {
        box.state.withLock { $0.ring.owner(ofUID: uid) == identity }
    }

    /// Whether this replica is a settled member: Lease valid, every live member on its ring.
    var isSettled: Bool {
        let now = clock.now
        return box.state.withLock { $0.isSettled(at: now) }
    }

    /// A snapshot for status and metrics.
    var status: ShardStatus {
        let now = clock.now
        return box.state.withLock { state in
            ShardStatus(
                identity: identity, ringVersion: state.ring.version, acknowledgedVersion: state.published,
                members: state.ring.members, settled: state.isSettled(at: now), handovers: state.handovers,
                share: state.ring.share(of: identity))
        }
    }

    /// How long a key the gate holds back waits before it is tried again.
    var retryDelay: Duration { config.retryPeriod / 2 }

    // MARK: Running

    /// Lists the members until the first list succeeds, then holds the member Lease and follows
    /// the others until cancelled.
    ///
    /// - Throws: ``LeaderElectionError`` (``LeaderElectionError/Code/leadershipLost``) when the
    ///   member Lease could not be renewed in time: no sync starts any more and the process should
    ///   exit, to come back as a new member.
    func run() async throws {
        defer { box.state.withLock { $0.stop() } }
        while !(try await refresh()) {
            try await clock.sleep(for: config.retryPeriod)
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.elector.run() }
            group.addTask {
                while true {
                    try await self.clock.sleep(for: self.config.retryPeriod)
                    _ = try await self.refresh()
                }
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    /// Gives up the member Lease after a graceful stop (nothing of this replica syncs any more).
    func release() async {
        box.state.withLock { $0.stop() }
        do {
            try await elector.release()
        } catch {
            logger.warning("sharding: could not release the member Lease", metadata: ["error": "\(error)"])
        }
    }

    /// One list of the member Leases; returns whether it succeeded.
    private func refresh() async throws -> Bool {
        let started = clock.now
        let leases: KubeList
        do {
            leases = try await client.list(
                .lease, namespace: namespace, labelSelector: "\(ShardingConfig.memberLabel)=\(operatorName)")
        } catch {
            if Task.isCancelled || error is CancellationError { throw CancellationError() }
            logger.warning("sharding: listing the member Leases failed", metadata: ["error": "\(error)"])
            return false
        }
        let now = clock.now
        let others = membership.withLock { membership in
            membership.observe(leases.items, at: now)
            return membership.liveOthers(excluding: identity, at: now)
        }
        let (changed, ring, settled) = box.state.withLock { state in
            let changed = state.update(others: others, listStarted: started)
            return (changed, state.ring, state.isSettled(at: now))
        }
        if changed {
            logger.info(
                "sharding: the ring changed",
                metadata: [
                    "ringVersion": "\(ring.version)", "members": "\(ring.members.joined(separator: ","))",
                    "share": "\(Int((ring.share(of: identity) * 100).rounded())) %",
                ])
            selectorSink.yield(ring.selector(of: identity))
        } else if !changedOnce.withLock({ $0 }) {
            selectorSink.yield(ring.selector(of: identity))
        }
        changedOnce.withLock { $0 = true }
        metrics.shard(status, cacheCounts: false)
        if !settled {
            // Settling again, even under the same ring, queues the parents turned away meanwhile.
            lastSettled.withLock { $0 = nil }
        } else {
            let fresh = lastSettled.withLock { last in
                defer { last = ring.version }
                return last != ring.version
            }
            if fresh {
                logger.info(
                    "sharding: every member follows the ring; syncing this replica's share",
                    metadata: [
                        "ringVersion": "\(ring.version)", "members": "\(ring.members.count)",
                    ])
                let previous = previousSettled.withLock { last in
                    defer { last = ring }
                    return last
                }
                settledHandler.withLock { $0 }?(previous, ring)
            }
        }
        return true
    }

    private let changedOnce = Lock(false)

    /// A reference to the gate's state.
    final class StateBox: Sendable {
        let state: Lock<ShardState>
        init(_ state: ShardState) { self.state = Lock(state) }
    }
}

/// A sharded replica's view, for status, metrics and tests.
public struct ShardStatus: Sendable, Hashable {
    /// This replica's identity on the ring.
    public var identity: String
    /// The version of the ring over the members it sees live now.
    public var ringVersion: String
    /// The version its Lease records (`nil` while none or while a new one is being written).
    public var acknowledgedVersion: String?
    /// The members of the ring, sorted.
    public var members: [String]
    /// Whether it syncs now: Lease valid and every live member records the ring.
    public var settled: Bool
    /// Ring versions its Lease recorded since the start.
    public var handovers: Int
    /// The fraction of the hash space it owns.
    public var share: Double
    /// Parents in this replica's cache (with server-side selection, about its share only).
    public var cachedParents = 0
    /// Cached parents this replica owns under its ring.
    public var ownedParents = 0
}
