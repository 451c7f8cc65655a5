public import Logging
public import Prometheus
public import RoperatorClient
public import ServiceLifecycle

/// One operator: watches its parent type and child types, and reconciles every parent with a
/// ``Handler``. A ServiceLifecycle `Service`: ``run()`` works until its task is cancelled or a
/// graceful shutdown is requested, and returns with no task left running.
///
/// ```swift
/// let config = OperatorConfig(name: "echo", parent: echoType).withChild(.configMap)
/// let op = try Operator(config: config, handler: EchoHandler(), client: client)
/// let group = ServiceGroup(services: [op], gracefulShutdownSignals: [.sigterm], logger: logger)
/// try await group.run()
/// ```
///
/// Lifecycle (``phase``): initial → running → stopping (graceful shutdown) → stopped; a stopped
/// operator may run again. A second ``run()`` while one is active throws ``LifecycleError``.
///
/// For the common case, ``runOperator(_:_:logger:)`` does all of this. To run several operators
/// over one client and one set of caches, put them in an ``OperatorGroup``.
public final class Operator: Service {
    /// The configuration it was made with.
    public let config: OperatorConfig
    /// The client every read and write goes through.
    public let client: KubeClient
    let handler: any Handler
    let logger: Logger
    let clock: SchedulingClock
    let queue: WorkQueue
    let metrics: OperatorMetrics
    let recorder: EventRecorder
    private let state = Lock<LifecyclePhase>(.initial)
    /// What one run bound: caches, reconciler, elector, health server. `nil` when not running.
    private let binding = Lock<Binding?>(nil)

    /// The parts of one run.
    struct Binding: Sendable {
        var informers: [Informer]
        var reconciler: Reconciler
        var elector: LeaderElector?
        var health: HealthServer?
        var shard: ShardCoordinator? = nil
    }

    /// Creates an operator; nothing happens until ``run()``.
    ///
    /// - Parameters:
    ///   - config: What to watch and how to write.
    ///   - handler: The sync (and finalize) logic.
    ///   - client: The API client; it is not shut down by the operator.
    ///   - logger: Receives sync failures (with the parent key as `parent` metadata) and lifecycle lines.
    /// - Throws: ``OperatorConfigError`` when `config` is invalid.
    public convenience init(
        config: OperatorConfig, handler: some Handler, client: KubeClient,
        logger: Logger = Logger(label: "roperator")
    ) throws(OperatorConfigError) {
        try self.init(
            config: config, handler: handler, client: client, logger: logger, clock: .continuous,
            metricsRegistry: PrometheusCollectorRegistry())
    }

    init(
        config: OperatorConfig, handler: some Handler, client: KubeClient, logger: Logger, clock: SchedulingClock,
        metricsRegistry: PrometheusCollectorRegistry
    ) throws(OperatorConfigError) {
        try config.validate()
        self.config = config
        self.handler = handler
        self.client = client
        var logger = logger
        logger[metadataKey: "operator"] = "\(config.name)"
        self.logger = logger
        self.clock = clock
        self.metrics = OperatorMetrics(
            operatorName: config.name, concurrency: config.concurrency, registry: metricsRegistry)
        self.queue = WorkQueue(
            configuration: .init(maxConcurrency: config.concurrency, backoff: config.backoff), clock: clock,
            random: SystemRandomNumberGenerator(), metrics: metrics.queue)
        self.recorder = EventRecorder(client: client, component: config.name, logger: logger)
    }

    /// Runs the operator until its task is cancelled or a graceful shutdown is requested; then
    /// stops its watches and queue and returns once no task of it is left. It may run again
    /// after it returned.
    ///
    /// A failing sync never ends the operator: it is logged, counted and retried with backoff.
    /// Watches that fail are resumed or relisted by the client's `Watcher`.
    ///
    /// On a graceful shutdown no new sync starts and the running ones may finish (up to
    /// ``OperatorGroup/Configuration/shutdownTimeout``, 30 s); on cancellation everything stops at
    /// once (an interrupted sync is redone on the next start).
    ///
    /// With ``OperatorConfig/leaderElection`` the caches fill at once but no sync starts until this
    /// replica holds the lease (events meanwhile wait in the queue). After stopping, the leader
    /// releases the lease so that a standby takes over without waiting for it to expire.
    ///
    /// - Throws: ``LifecycleError`` when this operator is already running (alone or in a group);
    ///   ``LeaderElectionError`` (``LeaderElectionError/Code/leadershipLost``) when this
    ///   replica led and lost its lease: it stopped writing at once (running syncs are cancelled)
    ///   and the process should exit, to come back as a standby.
    public func run() async throws {
        try await OperatorGroup.run(
            [self], configuration: .init(single: config, metricsRegistry: metrics.registry), client: client, logger: logger)
    }

    /// Where this operator is in its lifecycle.
    public var phase: LifecyclePhase { state.withLock { $0 } }

    /// Whether every cache this operator reads completed its initial list (false when not running).
    ///
    /// A standby replica (leader election on, lease held elsewhere) is ready once its caches are:
    /// it can take over at once, and a readiness probe must not restart or hide it.
    public var isReady: Bool {
        binding.withLock { $0?.informers.allSatisfy(\.store.hasSynced) } ?? false
    }

    /// The caches of the current run (empty when not running).
    var informers: [Informer] { binding.withLock { $0?.informers } ?? [] }

    /// Whether ``run()`` is running (bound to its caches).
    var isRunning: Bool { binding.withLock { $0 != nil } }

    /// The elector of this operator's lease while running with leader election.
    var elector: LeaderElector? { binding.withLock { $0?.elector } }

    /// The shard coordinator of the current run, when ``OperatorConfig/sharding`` is set.
    var shard: ShardCoordinator? { binding.withLock { $0?.shard } }

    /// The reconciler of the current run (tests).
    var reconciler: Reconciler? { binding.withLock { $0?.reconciler } }

    /// The port of the health and metrics endpoint while it listens.
    public var healthPort: Int? { binding.withLock { $0?.health }?.listeningPort }

    /// The Prometheus registry this operator records its metrics into and its `/metrics` serves:
    /// its own when it runs alone, the group's (``OperatorGroup/Configuration/metricsRegistry``)
    /// when it was added to an ``OperatorGroup``. Pass it to the client to serve the client's
    /// request metrics too:
    /// `KubeClient.Options(metricsFactory: PrometheusMetricsFactory(registry: op.metricsRegistry))`.
    public var metricsRegistry: PrometheusCollectorRegistry { metrics.registry }

    /// Totals since creation: syncs, failures, API writes, conflicts.
    public var statistics: OperatorStatistics { metrics.statistics }

    /// Syncs `parent` as soon as possible, bypassing any backoff or delay.
    public func syncNow(_ parent: ParentKey) {
        queue.syncNow(parent)
    }

    // MARK: Lifecycle

    /// Moves initial/stopped → running.
    ///
    /// - Throws: ``LifecycleError/Code/alreadyRunning`` when a run is active.
    func claim() throws(LifecycleError) {
        try state.withLock { (phase: inout LifecyclePhase) throws(LifecycleError) in
            guard !phase.isActive else {
                throw LifecycleError(.alreadyRunning, "operator '\(config.name)' is already running")
            }
            phase = .running
        }
    }

    /// Running → stopping: no new sync starts.
    func beginStopping() {
        state.withLock { if $0 == .running { $0 = .stopping } }
    }

    /// Informer keys: the parents as configured, each child type as every object carrying the
    /// parent-UID tracking label (so that operators of one group share child caches).
    var informerKeys: (parent: InformerKey, children: [K8sType: InformerKey]) {
        let parent = InformerKey(type: config.parent, namespace: config.namespace, labelSelector: config.parentSelector)
        var children: [K8sType: InformerKey] = [:]
        for (type, _) in config.children {
            children[type] = InformerKey(type: type, namespace: config.namespace, labelSelector: TrackingLabels.parentUID)
        }
        return (parent, children)
    }

    /// Subscribes the trigger stage to the factory's informers and builds the reconciler.
    func bind(
        to factory: InformerFactory, elector: LeaderElector?, health: HealthServer?, shard: ShardCoordinator? = nil
    ) -> Reconciler {
        let keys = informerKeys
        let parents: Informer
        if let shard, shard.config.selection == .server {
            parents = factory.informer(for: keys.parent, following: shard.selectors)
        } else {
            parents = factory.informer(for: keys.parent)
        }
        let children = keys.children.mapValues { factory.informer(for: $0) }
        let reconciler = Reconciler(
            config: config, handler: handler, client: client, parents: parents, children: children,
            recorder: recorder, metrics: metrics, clock: clock, logger: logger,
            rerunRequested: { [queue] in queue.isRerunRequested($0) })
        let trigger = EventTrigger(queue: queue, reconciler: reconciler, parents: parents.store)
        parents.subscribe { trigger.parentsChanged($0) }
        for informer in children.values {
            informer.subscribe { trigger.childrenChanged($0) }
        }
        binding.withLock {
            $0 = Binding(
                informers: [parents] + Array(children.values), reconciler: reconciler, elector: elector, health: health,
                shard: shard)
        }
        if let shard { queueShare(of: shard, from: parents.store) }
        return reconciler
    }

    /// Waits for the caches (and the lease), then processes the queue until cancelled.
    func process(with reconciler: Reconciler) async {
        do {
            try await reconciler.parents.waitUntilSynced()
            for informer in reconciler.children.values { try await informer.waitUntilSynced() }
        } catch {
            return
        }
        guard await waitForLeadership() else { return }
        let target = await StatusTarget.detect(for: config.parent, client: client)
        reconciler.statusTarget.withLock { $0 = target }
        logger.info("caches synced, reconciling", metadata: ["statusTarget": "\(target)"])
        let shard = self.shard
        await queue.run { key in
            if self.phase == .stopping { return .done }
            if let retry = self.notLeadingRetry { return .requeue(after: retry) }
            if let shard { return try await self.reconcile(key, with: reconciler, gatedBy: shard) }
            return try await reconciler.reconcile(key)
        }
    }

    /// Ends a run: forgets its binding and moves to stopped.
    func unbind() {
        binding.withLock { $0 = nil }
        state.withLock { $0 = .stopped }
    }
}
