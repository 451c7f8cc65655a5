import Foundation
public import Logging
public import RoperatorClient

/// Leader election over a `coordination.k8s.io/v1` Lease: of all replicas running an elector on
/// the same Lease, at most one leads at a time.
///
/// The algorithm is client-go's:
/// - A candidate reads the Lease (creating it when missing) every `retryPeriod`. It takes the lease
///   when nobody holds it, or when the holder's record has not changed for `leaseDuration` as
///   measured by the candidate's own monotonic clock since it last saw the record change, so no
///   two clocks are compared.
/// - Every write is a PUT with the `resourceVersion` read, so of two candidates racing for one
///   lease exactly one wins; the loser's 409 makes it re-read, not retry blindly.
/// - The leader renews every `retryPeriod`. When no renewal has succeeded for `renewDeadline`
///   (shorter than `leaseDuration`, so before anyone else may take over), or a re-read shows
///   another holder, it stops leading at once and ``run()`` throws
///   ``LeaderElectionError/Code/leadershipLost``.
/// - ``release()`` after a graceful stop clears the holder and shortens the duration to 1 s, so a
///   standby takes over at its next attempt instead of waiting for the lease to expire.
///
/// ``Operator`` and ``OperatorGroup`` run an elector for you when ``OperatorConfig/leaderElection``
/// is set; use one directly to elect a leader for other work:
///
/// ```swift
/// let elector = LeaderElector(config: LeaderElectionConfig(leaseName: "my-job"), client: client)
/// try await withThrowingTaskGroup(of: Void.self) { group in
///     group.addTask { try await elector.run() }
///     try await elector.waitUntilLeading()
///     try await doTheWork()            // check `elector.isLeader` before each write
///     group.cancelAll()
/// }
/// try await elector.release()
/// ```
public actor LeaderElector {
    /// The settings it was made with.
    public nonisolated let config: LeaderElectionConfig
    /// The identity written into the Lease: ``LeaderElectionConfig/identity``, or the hostname
    /// plus a random suffix.
    public nonisolated let identity: String
    /// The Lease's namespace: ``LeaderElectionConfig/leaseNamespace`` or the client's namespace.
    public nonisolated let leaseNamespace: String

    nonisolated let client: KubeClient
    nonisolated let logger: Logger
    private nonisolated let leadership = Lock(LeadershipState())

    /// The Lease as last read or written.
    private var lease: KubeObject?
    /// The record last seen and when (our clock) it was first seen in that form.
    private var observed: LeaseRecord?
    private var observedAt: SchedulingClock.Instant
    /// The clock lease timing is measured on (the group's; `ContinuousClock` by default).
    private let clock: SchedulingClock
    /// Whether the last successful write named this elector as holder and it has not since lost
    /// or released the lease.
    private var holding = false
    private var running = false
    /// Called around every create or replace of the Lease.
    private let hooks: LeaseWriteHooks?

    /// Creates an elector; nothing happens until ``run()``.
    ///
    /// - Parameters:
    ///   - config: Lease name, namespace, timing and identity.
    ///   - client: The API client the Lease is read and written with.
    ///   - logger: Receives the acquire, lose and release lines (with `lease` and `identity` metadata).
    ///   - clock: What lease durations, renew deadlines and retry periods are measured on; default
    ///     `ContinuousClock()`.
    public init(
        config: LeaderElectionConfig, client: KubeClient, logger: Logger = Logger(label: "roperator"),
        clock: any Clock<Duration> = ContinuousClock()
    ) {
        self.init(config: config, client: client, logger: logger, clock: clock, hooks: nil)
    }

    /// An elector whose every write of the Lease passes through `hooks` (a shard member's Lease
    /// carries a label and the ring version it follows).
    init(
        config: LeaderElectionConfig, client: KubeClient, logger: Logger, clock: any Clock<Duration>,
        hooks: LeaseWriteHooks?
    ) {
        self.hooks = hooks
        self.clock = SchedulingClock(clock)
        self.observedAt = self.clock.now
        self.config = config
        self.client = client
        self.identity = config.identity ?? Self.defaultIdentity()
        self.leaseNamespace = config.leaseNamespace ?? client.configuration.namespace
        var logger = logger
        logger[metadataKey: "lease"] = "\(leaseNamespace)/\(config.leaseName)"
        logger[metadataKey: "identity"] = "\(identity)"
        self.logger = logger
    }

    /// Whether this elector holds the lease now. Turns false the moment leadership is lost or the
    /// run stops, before ``run()`` returns.
    public nonisolated var isLeader: Bool { leadership.withLock { $0.isLeading } }

    /// Whether a record of the Lease was read or written (a standby has seen the holder).
    var hasObservedLease: Bool { observed != nil }

    /// The Lease record as this elector last read or wrote it.
    var lastObservedRecord: LeaseRecord? { observed }

    /// `namespace/name` of the Lease.
    nonisolated var leaseDescription: String { "\(leaseNamespace)/\(config.leaseName)" }

    /// Campaigns for the lease, then renews it, until leadership is lost or the task is cancelled.
    ///
    /// Failed reads and writes are logged and retried every `retryPeriod`; they end the run only
    /// when they keep a leader from renewing for `renewDeadline`.
    ///
    /// - Throws: ``LeaderElectionError`` with code ``LeaderElectionError/Code/leadershipLost``
    ///   after losing the lease, ``LeaderElectionError/Code/alreadyRunning`` when a run is in
    ///   progress. Cancellation returns normally; the lease stays held until ``release()`` or expiry.
    public func run() async throws {
        guard !running else { throw LeaderElectionError.alreadyRunning(leaseDescription) }
        running = true
        defer { running = false }
        enter(.candidate)
        logger.info("leader election: campaigning for the lease")
        do {
            var lastRenew = try await acquire()
            while true { lastRenew = try await renew(after: lastRenew) }
        } catch let error as LeaderElectionError {
            holding = false
            enter(.lost(error))
            logger.error("leader election: lost the lease; stopped writing", metadata: ["reason": "\(error.message)"])
            throw error
        } catch {
            // Cancelled: stop leading at once; the lease is kept for release() or expiry.
            enter(.idle)
        }
    }

    /// Returns once this elector leads.
    ///
    /// - Throws: ``LeaderElectionError`` (``LeaderElectionError/Code/leadershipLost``) when the
    ///   lease was lost, `CancellationError` when the calling task is cancelled or the run stops.
    public nonisolated func waitUntilLeading() async throws {
        let id = leadership.withLock { $0.reserveWaiter() }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (waiter: LeadershipState.Waiter) in
                if let outcome = leadership.withLock({ $0.register(id, waiter) }) { waiter.resume(with: outcome) }
            }
        } onCancel: {
            leadership.withLock { $0.cancel(id) }?.resume(throwing: CancellationError())
        }
    }

    /// Gives the lease up after a stop, as client-go's `ReleaseOnCancel`: clears the holder and
    /// sets a 1 s duration, so a standby takes over at its next attempt. Does nothing when this
    /// elector does not hold the lease (never acquired, lost, already released, or the Lease now
    /// names someone else). Call only once nothing of this replica writes any more.
    ///
    /// - Returns: Whether the lease was released.
    /// - Throws: ``LeaderElectionError/Code/alreadyRunning`` while ``run()`` is in progress;
    ///   `KubeAPIError` or `KubeClientError` when the write fails.
    @discardableResult
    public func release() async throws -> Bool {
        guard !running else { throw LeaderElectionError.alreadyRunning(leaseDescription) }
        guard holding else { return false }
        holding = false
        var copy = lease
        if copy == nil { copy = try await read() }
        guard var current = copy else { return false }
        // At most one re-read: a renewal cancelled by the stop may have reached the server after
        // all and left our copy stale; the lease is released only while it still names us.
        for attempt in 0..<2 {
            guard try LeaseRecord(lease: current).holderIdentity == identity else {
                logger.info("leader election: the lease names another holder; nothing to release")
                return false
            }
            do {
                try await writeRelease(over: current)
                logger.info("leader election: released the lease")
                return true
            } catch let error as KubeAPIError where error.isConflict {
                guard attempt == 0, let fresh = try await read() else { break }
                current = fresh
            } catch let error as KubeAPIError where error.isNotFound {
                return false
            }
        }
        logger.info("leader election: the lease changed while releasing it; left as is")
        return false
    }

    /// PUTs `lease` without a holder and with a 1 s duration.
    private func writeRelease(over lease: KubeObject) async throws {
        var lease = lease
        var record = try LeaseRecord(lease: lease)
        let now = Date()
        record.holderIdentity = nil
        record.leaseDurationSeconds = 1
        record.acquireTime = now
        record.renewTime = now
        lease.json["spec"] = record.merged(into: lease.spec)
        try observe(try await client.replace(.lease, lease))
    }

    // MARK: - Campaign

    /// Tries until the lease is ours; returns when the successful attempt started.
    private func acquire() async throws -> SchedulingClock.Instant {
        while true {
            let started = clock.now
            if try await attempt() {
                holding = true
                enter(.leading)
                logger.info(
                    "leader election: acquired the lease; this replica leads",
                    metadata: [
                        "transitions": "\(observed?.leaseTransitions ?? 0)"
                    ])
                return started
            }
            // client-go jitters acquisition by up to 1.2 × retryPeriod; a little is enough to keep
            // standbys apart. Waking at the observed expiry takes over as early as allowed.
            var next = started + config.retryPeriod * Double.random(in: 1.0...1.2)
            if let expiry = expiry, expiry > clock.now { next = min(next, expiry) }
            try await clock.sleep(until: next)
        }
    }

    /// One renewal period: waits, then renews until it succeeds or `renewDeadline` since the last
    /// renewal passes. Returns when the successful renewal started.
    ///
    /// - Throws: ``LeaderElectionError/Code/leadershipLost``, or `CancellationError`.
    private func renew(after lastRenew: SchedulingClock.Instant) async throws -> SchedulingClock.Instant {
        let deadline = lastRenew + config.renewDeadline
        var next = lastRenew + config.retryPeriod
        while true {
            try await clock.sleep(until: min(next, deadline))
            let started = clock.now
            guard started < deadline else { throw lost("not renewed within renewDeadline (\(config.renewDeadline))") }
            let renewed = try await attempt(before: deadline)
            if renewed {
                // The deadline timer may have fired while the successful answer was on its way;
                // the renewal began in time and the lease names us, so writing may go on.
                enter(.leading)
                return started
            }
            if let holder = observed?.holderIdentity, holder != identity {
                throw lost("the lease is now held by \(holder)")
            }
            next = started + config.retryPeriod
        }
    }

    /// Stops writes at once, from any task; `run()` records the final phase afterwards.
    private nonisolated func stopLeading() {
        // Nobody waits while leading, so no waiter needs resuming.
        _ = leadership.withLock { $0.enter(.candidate) }
    }

    private func lost(_ why: String) -> LeaderElectionError {
        stopLeading()
        return .leadershipLost(leaseDescription, "\(identity): \(why)")
    }

    /// One attempt bounded by `deadline`: when the deadline comes first, this elector stops
    /// leading at that moment, even while the request is still being cancelled. The client
    /// retries a failed request only while the deadline has not passed (by this elector's clock),
    /// so no retried renewal is sent after the elector stopped leading, not even in the moment
    /// between the deadline and the cancellation reaching the request.
    private func attempt(before deadline: SchedulingClock.Instant) async throws -> Bool {
        try await withThrowingTaskGroup(of: Bool?.self) { group in
            group.addTask { [clock] in
                try await KubeClient.withRetryGate({ clock.now < deadline }) { try await self.attempt() }
            }
            group.addTask { [clock] in
                try await clock.sleep(until: deadline)
                self.stopLeading()
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return first ?? false
        }
    }

    /// One try to acquire or renew; failures other than cancellation are logged and count as "no".
    private func attempt() async throws -> Bool {
        do {
            return try await tryAcquireOrRenew()
        } catch {
            if Task.isCancelled || error is CancellationError { throw CancellationError() }
            logger.warning("leader election: lease request failed", metadata: ["error": "\(error)"])
            return false
        }
    }

    /// Reads the lease (the leader writes from its own copy instead: one request per renewal),
    /// decides whether this elector may hold it, and writes it if so.
    private func tryAcquireOrRenew() async throws -> Bool {
        let started = clock.now
        var current: KubeObject
        if holding, let lease {
            current = lease
        } else {
            guard let read = try await read() else { return try await create(started: started) }
            current = read
        }
        guard let record = observed else { return false }
        let mine = record.holderIdentity == identity
        if record.holderIdentity != nil, !mine, let expiry, expiry > clock.now { return false }
        let now = Date()
        let next = LeaseRecord(
            holderIdentity: identity, leaseDurationSeconds: leaseDurationSeconds,
            acquireTime: mine ? record.acquireTime ?? now : now, renewTime: now,
            leaseTransitions: mine ? record.leaseTransitions : record.leaseTransitions + 1)
        current.json["spec"] = next.merged(into: current.spec)
        hooks?.decorate(&current)
        do {
            let stored = try await client.replace(.lease, current)
            try observe(stored)
            hooks?.written(stored, started)
            return true
        } catch let error as KubeAPIError where error.isConflict || error.isNotFound {
            // Someone else wrote (or deleted) the lease: re-read once so that the next decision,
            // and a leader's check for a new holder, see their record. No retry loop here.
            lease = nil
            _ = try await read()
            return false
        }
    }

    /// GETs the lease and observes it; `nil` when it does not exist.
    private func read() async throws -> KubeObject? {
        do {
            let object = try await client.get(.lease, namespace: leaseNamespace, name: config.leaseName)
            try observe(object)
            return object
        } catch let error as KubeAPIError where error.isNotFound {
            lease = nil
            return nil
        }
    }

    /// Creates the lease with this elector as holder; an AlreadyExists means another candidate
    /// was faster: its lease is read and observed instead.
    private func create(started: SchedulingClock.Instant) async throws -> Bool {
        let now = Date()
        let record = LeaseRecord(
            holderIdentity: identity, leaseDurationSeconds: leaseDurationSeconds, acquireTime: now, renewTime: now,
            leaseTransitions: 0)
        var object = KubeObject(type: .lease, namespace: leaseNamespace, name: config.leaseName)
        object.json["spec"] = record.spec
        hooks?.decorate(&object)
        do {
            let stored = try await client.create(.lease, object)
            try observe(stored)
            hooks?.written(stored, started)
            return true
        } catch let error as KubeAPIError where error.isAlreadyExists {
            _ = try await read()
            return false
        }
    }

    /// Remembers `object` and restarts the expiry clock when its record changed.
    private func observe(_ object: KubeObject) throws(LeaderElectionError) {
        let record: LeaseRecord
        do {
            record = try LeaseRecord(lease: object)
        } catch {
            lease = nil
            throw .invalidLease(leaseDescription, error.message)
        }
        lease = object
        guard record != observed else { return }
        if let holder = record.holderIdentity, holder != identity, holder != observed?.holderIdentity {
            logger.info("leader election: the lease is held by another replica", metadata: ["holder": "\(holder)"])
        }
        observed = record
        observedAt = clock.now
    }

    /// When the observed record expires by our clock; `nil` when nothing was observed.
    private var expiry: SchedulingClock.Instant? {
        guard let observed else { return nil }
        return observedAt + .seconds(observed.leaseDurationSeconds)
    }

    /// The lease duration in whole seconds, as the Lease stores it (rounded up, at least 1).
    private nonisolated var leaseDurationSeconds: Int64 {
        let parts = config.leaseDuration.components
        return max(1, parts.seconds + (parts.attoseconds > 0 ? 1 : 0))
    }

    private func enter(_ phase: LeadershipState.Phase) {
        let (waiters, outcome) = leadership.withLock { $0.enter(phase) }
        for waiter in waiters { waiter.resume(with: outcome) }
    }
}
